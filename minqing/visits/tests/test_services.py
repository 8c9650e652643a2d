"""Visits, needs → demands (through the demands app's service), help records, and scope."""
import datetime
from decimal import Decimal

import pytest

from minqing.core.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.core.models import AuditEntry
from minqing.visits import services
from minqing.visits.models import NeedStatus
from minqing.visits.selectors import household_help_history, visit_list

from .factories import household, visit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 2)


@pytest.fixture
def home(tree):
    return household(tree["building_a1"], "张三丰", tags=["elder_alone"])


def test_visit_with_needs_is_recorded_and_audited(home, actors):
    v = visit(actors["grid"], home, DAY, needs=["楼道灯坏了", " ", "老人需要助餐服务"])
    assert [n.text for n in v.needs.all()] == ["楼道灯坏了", "老人需要助餐服务"]
    assert v.place_code == home.place_code and list(v.visitors.all()) == [actors["grid"]]
    entry = AuditEntry.objects.for_object(v).get()
    assert entry.action == "visit.record" and entry.changes["needs"] == [None, 2]


def test_future_date_is_refused(home, actors):
    with pytest.raises(ValidationError) as info:
        visit(actors["grid"], home, datetime.date(2099, 1, 1))
    assert info.value.fields == {"visited_on": ["日期不能晚于今天。"]}


def test_out_of_scope_household_is_not_found(tree, actors):
    other = household(tree["building_b1"], "李四")
    with pytest.raises(NotFound):
        visit(actors["grid"], other, DAY)
    with pytest.raises(PermissionDenied):  # a supervisor sees, never changes
        visit(actors["supervisor"], other, DAY)


def test_need_becomes_a_demand_found_on_a_visit(home, actors):
    from minqing.appeals.models import Appeal, Channel

    v = visit(actors["grid"], home, DAY, needs=["楼道灯坏了三天，晚上老人出门不安全"])
    need = services.visit_need_to_demand(actor=actors["grid"], need=v.needs.get())
    appeal = Appeal.objects.get(pk=need.appeal_id)
    assert appeal.channel == Channel.VISIT and appeal.resident_id == home.head_id
    assert appeal.place_code == home.place_code and need.status == NeedStatus.DEMAND
    assert need.appeal_label == appeal.receipt_code
    with pytest.raises(TransitionNotAllowed):
        services.visit_need_to_demand(actor=actors["grid"], need=need)
    assert Appeal.objects.count() == 1


def test_too_short_need_gets_the_demands_apps_own_message(home, actors):
    v = visit(actors["grid"], home, DAY, needs=["灯坏"])
    with pytest.raises(ValidationError) as info:
        services.visit_need_to_demand(actor=actors["grid"], need=v.needs.get())
    assert info.value.fields == {"text": ["请用至少 5 个字描述问题。"]}
    v.needs.get().status == NeedStatus.OPEN


def test_help_record_and_history(home, actors):
    services.help_record_create(actor=actors["worker"], household=home, kind="money", given_on=DAY,
                                description="重阳节慰问金", amount=Decimal("300"), source="社区")
    services.help_record_create(actor=actors["worker"], household=home, kind="goods", given_on=DAY - datetime.timedelta(days=30),
                                description="米、油", amount=Decimal("120"))
    visit(actors["grid"], home, DAY - datetime.timedelta(days=3), kind="care")
    history = household_help_history(actor=actors["worker"], household=home)
    assert [(e.day, e.kind, e.amount) for e in history] == [
        (DAY, "资金", Decimal("300.00")), (DAY - datetime.timedelta(days=3), "访贫问苦", None),
        (DAY - datetime.timedelta(days=30), "物资", Decimal("120.00"))]


def test_money_help_needs_an_amount(home, actors):
    with pytest.raises(ValidationError) as info:
        services.help_record_create(actor=actors["worker"], household=home, kind="money", given_on=DAY,
                                    description="慰问金")
    assert info.value.fields == {"amount": ["资金帮扶请填写金额。"]}


def test_visit_list_scope(home, tree, actors):
    visit(actors["grid"], home, DAY)
    other = household(tree["building_a2"], "王五")
    visit(actors["worker"], other, DAY)
    assert visit_list(actor=actors["grid"]).count() == 1
    assert visit_list(actor=actors["worker"]).count() == 2
    assert visit_list(actor=actors["partner"]).count() == 0


def test_rounds_page_creates_a_round_and_shows_its_coverage(client, home, tree, actors):
    from django.urls import reverse

    from minqing.visits.models import VisitRound

    client.force_login(actors["secretary"])
    response = client.post(reverse("visits:rounds"), {
        "name": "元旦民情大走访", "place": tree["community_a"].pk, "start_date": "2026-11-01",
        "end_date": "2026-11-10", "leaders": [actors["secretary"].pk]})
    assert response.status_code == 302
    visit_round = VisitRound.objects.get()
    services.visit_record(actor=actors["grid"], household=home, visited_on=DAY, kind="festival",
                          visitors=[actors["secretary"]], round=visit_round)
    html = client.get(reverse("visits:rounds")).content.decode()
    assert "元旦民情大走访" in html and "走访 1 / 1 户" in html


def test_a_visit_outside_the_round_is_refused(home, tree, actors):
    visit_round = services.visit_round_create(actor=actors["secretary"], place=tree["community_a"], name="r",
                                              start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2026, 10, 7))
    with pytest.raises(ValidationError) as info:
        services.visit_record(actor=actors["grid"], household=home, visited_on=DAY, kind="routine",
                              visitors=[actors["grid"]], round=visit_round)
    assert info.value.fields == {"round": ["走访日期或地点不在该次民情大走访的范围内。"]}


def test_each_role_sees_its_part_of_the_visits(tree, actors):
    from minqing.visits.selectors import help_list

    for building in ("building_a1", "building_a2", "building_b1"):
        h = household(tree[building], f"{building}户主")
        visit(actors["admin"], h, DAY)
        services.help_record_create(actor=actors["admin"], household=h, kind="goods", given_on=DAY, description="米油",
                                    amount=Decimal("100"))
    expected = {"admin": 3, "street": 3, "secretary": 2, "worker": 2, "grid": 1, "building": 1, "supervisor": 3,
                "branch": 0, "partner": 0}
    assert {name: visit_list(actor=actors[name]).count() for name in expected} == expected
    assert {name: help_list(actor=actors[name]).count() for name in expected} == expected


def test_list_pages_query_counts(client, tree, actors, django_assert_max_num_queries):
    from django.urls import reverse

    for n in range(8):
        h = household(tree["building_a1"], f"户{n}")
        visit(actors["grid"], h, DAY, needs=["需要帮助的事情"])
        services.help_record_create(actor=actors["grid"], household=h, kind="goods", given_on=DAY, description="米油",
                                    amount=Decimal("100"))
    client.force_login(actors["grid"])
    for name in ("visits:list", "visits:help_list", "visits:due", "visits:coverage"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200, name


def test_a_need_added_after_the_visit(client, home, actors):
    from django.urls import reverse

    v = visit(actors["grid"], home, DAY)
    client.force_login(actors["grid"])
    client.post(reverse("visits:need_add", args=[v.pk]), {"text": "想申请居家养老服务"})
    html = client.post(reverse("visits:need_add", args=[v.pk]), {"text": " "}, follow=True).content.decode()
    assert [n.text for n in v.needs.all()] == ["想申请居家养老服务"] and "请填写需求内容。" in html


def test_help_list_totals_read_as_kind_names_not_codes(client, home, actors):
    services.help_record_create(actor=actors["worker"], household=home, kind="goods", given_on=DAY,
                                description="米、油", amount=Decimal("120"))
    client.force_login(actors["worker"])
    html = client.get("/visits/help/").content.decode()
    assert "物资 · 120" in html and "goods ·" not in html
