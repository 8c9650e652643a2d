"""Reading the ledger: search, lookups by keyed hash, care-tag counts, liaison lists — always within scope."""
import datetime

import pytest

from minqing.core.errors import NotFound
from minqing.residents import selectors, services
from minqing.residents.models import CareTag

from .conftest import ID_A1, PHONE_A1

pytestmark = pytest.mark.django_db


def names(residents):
    return sorted(r.name for r in residents)


@pytest.mark.parametrize("q, expected", [
    ("张德明", ["张德明"]),
    ("德", ["张德明"]),
    ("zdm", ["张德明"]),  # pinyin initials
    ("ZD", ["张德明"]),
    ("lxl", ["李秀兰"]),
    # A full ID number or phone is not a list filter: it is privacy.resident_search_pii (issue 13).
    (ID_A1, []),
    (ID_A1[:6] + ID_A1[8:17], []),
    (PHONE_A1, []),
    ("023-48751234", []),
    ("*" * 14 + ID_A1[-4:], ["张德明"]),  # the masked form, as seen on paper
    ("*5678", ["张德明"]),
    ("1单元101", ["张德明", "李秀兰"]),  # address
    ("1号楼1单元", ["张德明", "李秀兰"]),
    ("陈志强", []),  # community B: out of the worker's scope
    ("13900001111", []),
])
def test_search(actors, ledger, q, expected):
    assert names(selectors.resident_list(actor=actors["worker"], q=q)) == expected


def test_search_by_address_with_building_number(actors, ledger):
    # building A2 is called "2号楼"; "2栋202" style matches buildings named "<n>栋"
    ledger["h_a2"].building.name = "2栋"
    ledger["h_a2"].building.save()
    assert names(selectors.resident_list(actor=actors["worker"], q="2栋202")) == ["王海燕"]


def test_filters_status_floating_tag_place(actors, ledger, tree):
    worker = actors["worker"]
    services.resident_move_out(actor=worker, resident_id=ledger["a2"].pk, date=datetime.date(2026, 1, 1))
    services.resident_update(actor=worker, resident_id=ledger["a1"].pk, is_floating=True)
    services.resident_tag_add(actor=worker, resident_id=ledger["a1_spouse"].pk,
                              tag_id=CareTag.objects.get(code="elder_alone").pk, start_date=datetime.date(2020, 1, 1))
    assert names(selectors.resident_list(actor=worker)) == ["张德明", "李秀兰"]
    assert names(selectors.resident_list(actor=worker, status="moved_out")) == ["王海燕"]
    assert names(selectors.resident_list(actor=worker, status="")) == ["张德明", "李秀兰", "王海燕"]
    assert names(selectors.resident_list(actor=worker, floating=True)) == ["张德明"]
    assert names(selectors.resident_list(actor=worker, tag="elder_alone")) == ["李秀兰"]
    assert names(selectors.resident_list(actor=worker, place_code=tree["grid_a2"].code, status="")) == ["王海燕"]


def test_find_by_id_number_and_phone_respect_scope(actors, ledger):
    assert selectors.resident_find_by_id_number(actor=actors["grid"], id_number=ID_A1.lower()) == ledger["a1"]
    assert selectors.resident_find_by_id_number(actor=actors["grid"], id_number=" ") is None
    assert selectors.resident_find_by_id_number(actor=actors["branch"], id_number=ID_A1) is None  # grid A2
    assert list(selectors.resident_find_by_phone(actor=actors["grid"], phone="138-1234-5678")) == [ledger["a1"]]
    assert list(selectors.resident_find_by_phone(actor=actors["partner"], phone=PHONE_A1)) == []


def test_get_outside_scope_is_not_found(actors, ledger):
    assert selectors.resident_get(actor=actors["grid"], resident_id=ledger["a1"].pk) == ledger["a1"]
    with pytest.raises(NotFound):
        selectors.resident_get(actor=actors["grid"], resident_id=ledger["a2"].pk)
    with pytest.raises(NotFound):
        selectors.resident_get(actor=actors["grid"], resident_id=999999)
    with pytest.raises(NotFound):
        selectors.household_get(actor=actors["grid"], household_id=ledger["h_b1"].pk)


def test_grid_worker_sees_only_their_grid(actors, ledger):
    assert names(selectors.resident_list(actor=actors["grid"], status="")) == ["张德明", "李秀兰"]
    assert [h.pk for h in selectors.household_list(actor=actors["grid"])] == [ledger["h_a1"].pk]


def test_care_tag_counts_per_grid(actors, ledger, tree, django_assert_max_num_queries):
    tag = CareTag.objects.get(code="retired")
    for key in ("a1", "a1_spouse", "a2", "b1"):
        services.resident_tag_add(actor=actors["admin"], resident_id=ledger[key].pk, tag_id=tag.pk,
                                  start_date=datetime.date(2015, 1, 1))
    with django_assert_max_num_queries(4):
        data = selectors.care_tag_counts_by_grid(actor=actors["worker"])
    assert data["counts"] == {(tree["grid_a1"].code, tag.pk): 2, (tree["grid_a2"].code, tag.pk): 1}
    assert data["totals"] == {tag.pk: 3}
    assert [g.code for g in data["grids"]] == [tree["grid_a1"].code, tree["grid_a2"].code]
    admin = selectors.care_tag_counts_by_grid(actor=actors["admin"], place_code=tree["community_b"].code)
    assert admin["totals"] == {tag.pk: 1}


def test_liaison_lists(actors, ledger):
    services.household_assign_liaison(actor=actors["worker"], household_id=ledger["h_a1"].pk,
                                      liaison_id=actors["grid"].pk)
    assert [h.pk for h in selectors.household_list(actor=actors["worker"], without_liaison=True)] == [
        ledger["h_a2"].pk]
    assert [h.pk for h in selectors.household_list(actor=actors["worker"], liaison_id=actors["grid"].pk)] == [
        ledger["h_a1"].pk]
    summary = selectors.liaison_summary(actor=actors["worker"])
    assert [(row["liaison_id"], row["households"]) for row in summary] == [(actors["grid"].pk, 1)]


def test_household_members_head_first_and_former_members(actors, ledger):
    services.resident_move_out(actor=actors["worker"], resident_id=ledger["a1_spouse"].pk,
                               date=datetime.date(2026, 1, 1))
    household = selectors.household_get(actor=actors["worker"], household_id=ledger["h_a1"].pk)
    assert list(selectors.household_members(actor=actors["worker"], household=household)) == [ledger["a1"]]
    assert list(selectors.household_former_members(household=household)) == [ledger["a1_spouse"]]


def test_list_query_count_does_not_grow_with_rows(actors, ledger, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = list(selectors.resident_list(actor=actors["worker"], status=""))
        [(r.household.building.name if r.household else "") for r in rows]
