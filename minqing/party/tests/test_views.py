"""The pages, end to end through the test client: each page renders for the branch secretary, and each
form calls its service (or shows the service's field error)."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minqing.core.models import AuditEntry
from minqing.party.models import OrgSession, PartyMember, SessionStatus

from .factories import member, org, resident

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def branch(tree):
    return org(tree["grid_a2"], name="第二地段党支部")


@pytest.fixture
def logged_in(client, actors):
    client.force_login(actors["branch"])
    return client


def test_every_page_renders_for_the_branch_secretary(logged_in, tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    for name, args in [("index", []), ("members", []), ("member_new", []), ("edge", []), ("sessions", []),
                       ("session_new", []), ("posts", []), ("appraisals", []), ("figures", []), ("org", [branch.pk]),
                       ("member", [m.pk]), ("member_edit", [m.pk]), ("post_new", [m.pk]), ("service_new", [m.pk])]:
        assert logged_in.get(reverse(f"party:{name}", args=args)).status_code == 200, name


def test_home_page_and_menu_lead_to_party_work(logged_in, branch):
    page = logged_in.get("/").content.decode()
    assert 'data-testid="party-panel"' in page
    for name in ("index", "sessions", "posts", "appraisals", "figures"):
        assert reverse(f"party:{name}") in page


def test_register_a_member_from_the_ledger(logged_in, tree, branch):
    person = resident(tree["building_a2"], "新党员", political_status="party")
    assert "新党员" in logged_in.get(reverse("party:member_new") + "?q=新党员").content.decode()
    data = {"resident": person.pk, "org": branch.pk, "category": "full", "work_status": "working", "relation": "here",
            "joined_on": "2099-01-01", "date": TODAY.isoformat(), "from_text": "原单位党支部"}
    response = logged_in.post(reverse("party:member_new"), data)
    assert response.status_code == 200 and "日期不能晚于今天。" in response.content.decode()
    response = logged_in.post(reverse("party:member_new"), {**data, "joined_on": "2001-07-01"})
    assert response.status_code == 302 and PartyMember.objects.get().resident == person


def test_plan_hold_and_close_a_session(logged_in, tree, actors, branch):
    a = member(branch, tree["building_a2"], "甲", actor=actors["branch"])
    b = member(branch, tree["building_a2"], "乙", actor=actors["branch"])
    response = logged_in.post(reverse("party:session_new"), {"org": branch.pk, "kind": "members_meeting",
                                                            "planned_on": TODAY.isoformat(), "topic": "十二月党员大会"})
    session = OrgSession.objects.get()
    assert response.status_code == 302
    hold = reverse("party:session_hold", args=[session.pk])
    response = logged_in.post(hold, {"held_on": TODAY.isoformat(), f"presence_{a.pk}": "present",
                                     f"presence_{b.pk}": "leave", "version": session.version})
    assert response.status_code == 422 and "请假须填写事由" in response.content.decode()
    response = logged_in.post(hold, {"held_on": TODAY.isoformat(), f"presence_{a.pk}": "present",
                                     f"presence_{b.pk}": "leave", f"reason_{b.pk}": "住院", "version": session.version})
    assert response.status_code == 302
    response = logged_in.post(reverse("party:session_minutes", args=[session.pk]), {"minutes": "学习文件"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.attendance.count() == 2


def test_export_is_masked_and_audited(logged_in, tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    response = logged_in.get(reverse("party:figures_export"))
    book = load_workbook(io.BytesIO(response.content))
    roster = [[str(c.value or "") for c in row] for row in book.worksheets[1].iter_rows()]
    assert roster[1][2] == m.resident.id_number_masked and "*" in roster[1][2]
    assert roster[1][3] == m.resident.phone_masked and "13800138000" not in str(roster)
    assert AuditEntry.objects.filter(action="party.export").count() == 1


def test_ballot_and_edge_contact_forms(logged_in, tree, actors, branch):
    m = member(branch, tree["building_a2"], actor=actors["branch"])
    edge = resident(tree["building_a2"], "边缘", political_status="party")
    response = logged_in.post(reverse("party:edge_contact", args=[edge.pk]),
                              {"contacted_on": TODAY.isoformat(), "outcome": "unreachable"})
    assert response.status_code == 302
    response = logged_in.post(reverse("party:appraisals"), {"org": branch.pk, "year": TODAY.year})
    assert response.status_code == 302
    ballot = response.url + "ballot/"
    assert logged_in.post(ballot, {f"rating_{m.pk}": "excellent", f"comment_{m.pk}": "热心"}).status_code == 302
    detail = logged_in.get(response.url).content.decode()
    assert "热心" in detail


def test_english_catalogue_covers_the_app_and_the_political_status_field():
    from django.utils import translation
    from django.utils.translation import gettext

    from minqing.party.models import SessionStatus
    from minqing.residents.models import PoliticalStatus

    with translation.override("en"):
        assert gettext("组织生活") == "Org life"
        assert str(SessionStatus.HELD.label) == "Held"
        assert str(PoliticalStatus.PARTY_MEMBER.label) == "CPC member"


def test_officers_are_chosen_among_the_branch_members(logged_in, tree, actors, branch):
    a = member(branch, tree["building_a2"], "甲", actor=actors["branch"])
    b = member(branch, tree["building_a2"], "乙", actor=actors["branch"])
    url = reverse("party:org_officers", args=[branch.pk])
    assert logged_in.get(url).status_code == 200
    assert logged_in.post(url, {"secretary": a.pk, "committee": [a.pk, b.pk]}).status_code == 302
    branch.refresh_from_db()
    assert branch.secretary == a and set(branch.committee.all()) == {a, b}
