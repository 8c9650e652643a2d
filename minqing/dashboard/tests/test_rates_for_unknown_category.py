import pytest

from minqing.dashboard.periods import period_parse
from minqing.dashboard.selectors import rates_for

pytestmark = pytest.mark.django_db


def test_an_unknown_category_counts_nothing_instead_of_failing(actors):
    # `key IN ()` is a syntax error on PostgreSQL: an unknown category must simply count nothing.
    rows = rates_for(actor=actors["street"], period=period_parse("2026-10"), filters={"category": "999999"})
    assert all(row.figures.as_dict().get("submitted", 0) in (0, None) for row in rows)
