"""Each role sees exactly its part of disputes, screening rounds, assessments and alerts, and changes
only what its role allows (role × place, from accounts.policy)."""
import pytest

from minqing.alerts.selectors import alert_list
from minqing.alerts.services import alert_raise
from minqing.disputes.selectors import assessment_list, dispute_list, screening_round_list, silent_grids
from minqing.disputes.services.assessment import assessment_open

from .factories import round_for

GRIDS = ("grid_a1", "grid_a2", "grid_b1", "grid_b2")
# role → the grids whose disputes and rounds it sees
SEES = {
    "admin": set(GRIDS), "street": set(GRIDS), "supervisor": set(GRIDS),
    "secretary": {"grid_a1", "grid_a2"}, "worker": {"grid_a1", "grid_a2"},
    "grid": {"grid_a1"}, "building": set(), "branch": set(), "partner": set(),
}
SEES_ALERTS = {"admin": {"a", "b"}, "street": {"a", "b"}, "supervisor": {"a", "b"}, "secretary": {"a"},
               "worker": {"a"}, "grid": set(), "building": set(), "branch": set(), "partner": set()}


@pytest.fixture
def everything(tree, actors, make_dispute):
    by_grid = {}
    for grid in GRIDS:
        by_grid[grid] = (make_dispute("reported", place=tree[grid]), round_for(tree[grid], filed_by=actors["admin"]))
    alerts = {}
    for letter in ("a", "b"):
        alerts[letter] = alert_raise(rule="keywords", trigger_key=letter, subject_key=letter, level="yellow",
                                     place=tree[f"community_{letter}"], title="t", explanation="e", evidence={})
    return by_grid, alerts


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_exactly_its_part(actors, everything, role):
    by_grid, alerts = everything
    actor = actors[role]
    assert set(dispute_list(actor=actor)) == {by_grid[g][0] for g in SEES[role]}
    assert set(screening_round_list(actor=actor)) == {by_grid[g][1] for g in SEES[role]}
    assert set(alert_list(actor=actor)) == {alerts[k] for k in SEES_ALERTS[role]}
    assert list(silent_grids(actor=actor)) == []


@pytest.mark.django_db
def test_assessments_by_scope(tree, actors):
    a = assessment_open(actor=actors["secretary"], place=tree["community_a"], decision="供暖费调整",
                        decision_maker="供热站", background="成本上涨")
    b = assessment_open(actor=actors["street"], place=tree["community_b"], decision="拆迁",
                        decision_maker="征收办", background="棚改")
    assert set(assessment_list(actor=actors["worker"])) == {a}
    assert set(assessment_list(actor=actors["street"])) == {a, b}
    assert list(assessment_list(actor=actors["grid"])) == []  # a community-wide decision is above a grid
