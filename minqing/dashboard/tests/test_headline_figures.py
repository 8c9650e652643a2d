"""The home panel counts only the counters its total and four rates need (issue 19); what it shows must
be exactly what the full figures give, below the rollups (a grid: counted over the demands) and above
them (a street: read from the rollups)."""
import pytest

from minqing.accounts.tests.factories import PartnerUnitFactory
from minqing.dashboard.metrics import HEADLINE_RATES
from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_rebuild
from minqing.dashboard.selectors import _headline_figures, dashboard_scope, figures_for

from .factories import random_demands

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["grid", "worker", "street"])
def test_headline_figures_equal_the_full_figures(tree, actors, role):
    random_demands(tree, n=200, seed=19, units=[PartnerUnitFactory(service_area=tree["street"])],
                   users=[actors["worker"], actors["secretary"]])
    rollups_rebuild()
    actor = actors[role]
    period = period_parse("2026-Q4")
    full = figures_for(actor=actor, period=period)
    headline = _headline_figures(actor, dashboard_scope(actor=actor), period)
    assert full.count("total") > 0
    assert headline.count("total") == full.count("total")
    assert [headline.rate(d.key) for d in HEADLINE_RATES] == [full.rate(d.key) for d in HEADLINE_RATES]
