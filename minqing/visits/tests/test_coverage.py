"""Coverage maths against values worked out by hand (see the comments), and scope."""
import datetime

import pytest

from minqing.visits.coverage import coverage_by_cadre, coverage_by_grid, coverage_total, coverage_of_round
from minqing.visits import services

from .factories import household, visit

pytestmark = pytest.mark.django_db
Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


@pytest.fixture
def scene(tree, actors):
    worker, grid = actors["worker"], actors["grid"]
    a1, a2 = tree["building_a1"], tree["building_a2"]
    h = {n: household(a1, f"户{n}", liaison=worker if n <= 3 else grid) for n in (1, 2, 3, 4)}
    h[5] = household(a2, "户5", liaison=grid)
    h[6] = household(a2, "户6")
    household(a2, "已迁走户", active=False)  # not in the ledger any more: not counted
    household(tree["building_b1"], "B社区户")  # another community: outside every scope below but admin's
    visit(worker, h[1], datetime.date(2026, 7, 3))
    visit(worker, h[1], datetime.date(2026, 9, 30))  # twice: counts once
    visit(worker, h[2], datetime.date(2026, 8, 1), visitors=[grid])  # recorded by worker, made by the grid worker
    visit(worker, h[4], datetime.date(2026, 8, 2), visitors=[grid, worker])
    visit(worker, h[5], datetime.date(2026, 6, 30))  # a day before the period
    visit(worker, h[6], datetime.date(2026, 7, 1))  # first day of the period
    return h


def test_grid_coverage(scene, actors, tree):
    rows = coverage_by_grid(actor=actors["worker"], start=Q3[0], end=Q3[1])
    got = [(r.grid.code, r.households, r.visited) for r in rows]
    # grid A1: households 1–4, visited 1, 2, 4 → 3/4; grid A2: households 5, 6 (the moved-away one is out),
    # visited 6 only (5 was visited the day before) → 1/2.
    assert got == [(tree["grid_a1"].code, 4, 3), (tree["grid_a2"].code, 2, 1)]
    assert [r.share for r in rows] == [0.75, 0.5]
    total = coverage_total(rows)
    assert (total.households, total.visited) == (6, 4) and total.share == pytest.approx(2 / 3)


def test_cadre_coverage(scene, actors):
    rows = {str(r.cadre): r for r in coverage_by_cadre(actor=actors["worker"], start=Q3[0], end=Q3[1])}
    worker, grid = rows[str(actors["worker"])], rows[str(actors["grid"])]
    # worker: liaison for 1, 2, 3; visited in person 1 (twice), 4 and 6 → own households visited {1} → 1/3;
    # took part in 4 visits (1, 1, 4, 6).
    assert (worker.households, worker.visited, worker.visits) == (3, 1, 4)
    assert worker.share == pytest.approx(1 / 3)
    # grid worker: liaison for 4 and 5; visited 2 and 4 in the period → {4} → 1/2; 2 visits.
    assert (grid.households, grid.visited, grid.visits) == (2, 1, 2)
    assert grid.share == 0.5


def test_empty_period_and_empty_grid_shares(scene, actors):
    rows = coverage_by_grid(actor=actors["worker"], start=datetime.date(2025, 1, 1), end=datetime.date(2025, 1, 31))
    assert [r.visited for r in rows] == [0, 0] and [r.share for r in rows] == [0.0, 0.0]
    assert coverage_total([]).share is None


def test_grid_worker_sees_only_their_grid(scene, actors, tree):
    rows = coverage_by_grid(actor=actors["grid"], start=Q3[0], end=Q3[1])
    assert [(r.grid.code, r.households, r.visited) for r in rows] == [(tree["grid_a1"].code, 4, 3)]


def test_admin_sees_both_communities(scene, actors):
    rows = coverage_by_grid(actor=actors["admin"], start=Q3[0], end=Q3[1])
    assert len(rows) == 3 and coverage_total(rows).households == 7


def test_round_coverage(scene, actors, tree):
    visit_round = services.visit_round_create(actor=actors["secretary"], place=tree["community_a"],
                                              name="国庆民情大走访", start_date=datetime.date(2026, 10, 1),
                                              end_date=datetime.date(2026, 10, 7), leaders=[actors["secretary"]])
    services.visit_record(actor=actors["worker"], household=scene[3], visited_on=datetime.date(2026, 10, 2),
                          kind="festival", visitors=[actors["secretary"]], round=visit_round)
    result = coverage_of_round(actor=actors["secretary"], visit_round=visit_round)
    assert (result.households, result.visited) == (6, 1)


def test_visited_by_month(scene, actors):
    from minqing.visits.coverage import visited_by_month

    months = visited_by_month(actor=actors["worker"], start=datetime.date(2026, 6, 15), end=Q3[1])
    # June: household 5 (30th); July: 1 and 6; August: 2 and 4; September: 1 (visited twice in all, once here)
    assert [(m.month, n) for m, n in months] == [(6, 1), (7, 2), (8, 2), (9, 1)]
