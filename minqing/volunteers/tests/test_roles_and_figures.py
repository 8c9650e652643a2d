"""Who may do what (role × place), what each role sees, the figures and the honour roll, and the
query budget of the list pages."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.core.errors import NotFound, PermissionDenied
from minqing.volunteers import selectors, services

from .factories import activity_of, resident_in, sign_up, team_in

pytestmark = pytest.mark.django_db

# role → what posting an activity in community A gives: None (allowed) or the error
POST_ACTIVITY = {
    "admin": None, "secretary": None, "worker": None,
    "branch": NotFound,  # a branch secretary runs volunteers of their grid, not the community's teams
    "street": PermissionDenied, "supervisor": PermissionDenied,  # they see it, they do not run it
    "grid": NotFound, "building": NotFound, "partner": NotFound,  # volunteers are not in their view
}


@pytest.mark.parametrize("role,expected", POST_ACTIVITY.items())
def test_role_matrix_for_posting_an_activity(team, actors, role, expected):
    if expected is None:
        assert activity_of(team, actors[role]).pk
    else:
        with pytest.raises(expected):
            activity_of(team, actors[role])


@pytest.mark.parametrize("role,sees", [("admin", 2), ("street", 2), ("supervisor", 2), ("secretary", 1),
                                       ("worker", 1), ("branch", 0), ("grid", 0), ("partner", 0)])
def test_each_role_sees_its_part(tree, actors, team, role, sees):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    other = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"])
    team_in(tree["community_b"], other, name="B社区巡逻队")
    assert selectors.team_list(actor=actors[role]).count() == sees


def test_a_secretary_of_another_community_gets_not_found(tree, team):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    other = user_with_role(Role.COMMUNITY_SECRETARY, tree["community_b"])
    with pytest.raises(NotFound):
        selectors.team_get(actor=other, team_id=team.pk)
    with pytest.raises(NotFound):
        services.member_add(actor=other, team_id=team.pk, resident=resident_in(tree["building_b1"]))


def test_members_come_from_the_teams_community(tree, actors, team):
    member = services.member_add(actor=actors["worker"], team_id=team.pk, resident=resident_in(tree["building_a1"]))
    assert member.place_code == tree["community_a"].code
    from minqing.core.errors import ValidationError
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=actors["admin"], team_id=team.pk, resident=resident_in(tree["building_b1"]))
    assert exc.value.fields == {"resident": ["只能选择本社区台账中的居民。"]}


def _finish(activity, actor, hours: dict):
    services.activity_record_attendance(actor=actor, activity_id=activity.pk, attended=hours,
                                        now=activity.ends_at)


def test_figures_and_honour_roll_by_hand(tree, actors, team):
    # given two activities of the cleaning team and one of a patrol team, both in community A
    patrol = team_in(tree["community_a"], actors["worker"], name="夜间巡逻队", category="patrol")
    services.member_add(actor=actors["worker"], team_id=team.pk, resident=resident_in(tree["building_a1"], "甲"))
    a1 = activity_of(team, actors["worker"], starts_in=datetime.timedelta(days=1))
    a2 = activity_of(team, actors["worker"], starts_in=datetime.timedelta(days=2))
    p1 = activity_of(patrol, actors["worker"], starts_in=datetime.timedelta(days=3))
    wang = [sign_up(a, phone="13800000001", name="王阿姨")[0] for a in (a1, a2, p1)]
    li = [sign_up(a, phone="13800000002", name="李师傅")[0] for a in (a1, p1)]
    zhao, _t = sign_up(a2, phone="13800000003", name="赵大爷")
    # when: 王 serves 2 + 1.5 + 3 h; 李 2 h on a1, absent on p1; 赵 4 h
    _finish(a1, actors["worker"], {wang[0].pk: "2", li[0].pk: "2"})
    _finish(a2, actors["worker"], {wang[1].pk: "1.5", zhao.pk: "4"})
    _finish(p1, actors["worker"], {wang[2].pk: "3"})
    # then
    today = timezone.localdate()
    figures = selectors.volunteer_figures(tree["street"].code, today, today + datetime.timedelta(days=5))
    assert figures["total"] == {"activities": 3, "volunteers": 3, "attendances": 5, "hours": Decimal("12.5"),
                                "points": 125, "members": 1}
    assert figures["teams"][team.pk]["hours"] == Decimal("9.5") and figures["teams"][team.pk]["volunteers"] == 3
    assert figures["teams"][patrol.pk]["attendances"] == 1
    assert figures["communities"][tree["community_a"].code]["hours"] == Decimal("12.5")
    roll = selectors.honour_roll(place_code=tree["community_a"].code, year=a1.starts_at.year)
    if a1.starts_at.year == p1.starts_at.year:
        assert [(r["name"], r["hours"], r["points"]) for r in roll] == [
            ("王阿姨", Decimal("6.5"), 65), ("赵大爷", Decimal("4"), 40), ("李师傅", Decimal("2"), 20)]
    rows, totals = selectors.volunteer_record_by_hash(phone_hash=wang[0].phone_hash)
    assert len(rows) == 3 and totals == {"hours": Decimal("6.5"), "points": 65, "times": 3}


@pytest.mark.parametrize("url_name,budget", [("volunteers:index", 14), ("volunteers:figures", 20)])
def test_list_pages_keep_a_query_budget(client, tree, actors, team, url_name, budget, django_assert_max_num_queries):
    for n in range(8):
        activity = activity_of(team, actors["worker"], title=f"活动{n}")
        sign_up(activity, phone=f"1380000000{n}")
    for n in range(5):
        team_in(tree["community_a"], actors["worker"], name=f"协会{n}", kind="association")
    client.force_login(actors["worker"])
    with django_assert_max_num_queries(budget):  # the same with 8 or 800 activities: no query per row
        assert client.get(reverse(url_name)).status_code == 200


def test_activity_page_query_budget(client, actors, activity, django_assert_max_num_queries):
    for n in range(3):
        sign_up(activity, phone=f"1380000001{n}")
    client.force_login(actors["worker"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("volunteers:activity", args=[activity.pk]))
    assert page.status_code == 200 and "138****0010" in page.content.decode()
    assert "13800000010" not in page.content.decode()


def test_staff_pages_answer_404_outside_scope(client, actors, activity):
    client.force_login(actors["grid"])
    assert client.get(reverse("volunteers:activity", args=[activity.pk])).status_code == 404
    assert client.get(reverse("volunteers:index")).status_code == 404


def test_leader_is_a_member_and_leaving_clears_the_lead(client, tree, actors, team):
    resident = resident_in(tree["building_a1"], "刘队长")
    member = services.member_add(actor=actors["worker"], team_id=team.pk, resident=resident)
    client.force_login(actors["worker"])
    client.post(reverse("volunteers:member_lead", args=[team.pk, member.pk]))
    team.refresh_from_db()
    assert team.leader == resident
    services.member_leave(actor=actors["worker"], membership_id=member.pk)
    team.refresh_from_db()
    assert team.leader is None and not selectors.team_members(team=team).exists()
