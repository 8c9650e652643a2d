import pytest

from minqing.dashboard.periods import period_parse
from minqing.dashboard.selectors import rates_for

from .factories import at, category, demand

pytestmark = pytest.mark.django_db


def test_an_unknown_category_counts_nothing_instead_of_failing(tree, actors):
    # given two demands in October, so a known category counts them (the filter is not always empty)
    lift = category("物业", "电梯")
    for day in (3, 4):
        demand(tree["building_a1"], at(10, day), category=lift)
    october = period_parse("2026-10")
    grid = tree["grid_a1"].code  # below the rollups' level: counted from the demands themselves
    known = rates_for(actor=actors["street"], period=october, place_code=grid,
                      filters={"category": str(lift.parent_id)})
    assert [row.figures.as_dict()["counts"]["total"] for row in known] == [2]
    # when filtered by a category that does not exist (`key IN ()` is a syntax error on PostgreSQL)
    rows = rates_for(actor=actors["street"], period=october, place_code=grid, filters={"category": "999999"})
    # then it counts nothing instead of failing
    assert [row.figures.as_dict()["counts"]["total"] for row in rows] == [0]
