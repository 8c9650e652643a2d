"""Visit coverage 走访覆盖率 for any period, per grid and per cadre.

Definitions (tested against hand-worked expected values in tests/test_coverage.py):
- grid coverage = households in the grid (in the ledger now) with at least one visit dated within
  [start, end] ÷ households in the grid. A household visited twice counts once.
- cadre coverage = households the cadre is liaison 包户 for that the cadre visited personally
  (as one of the visitors) within the period ÷ households the cadre is liaison for.
  `visits` counts every visit the cadre took part in, on any household.
A share is None when the denominator is 0 (shown as "—", never as 0 % or 100 %).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from minqing.places.codes import prefix_at
from minqing.places.models import Place, PlaceKind

from .models import Visit
from .selectors import visited_household_list



def share(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


@dataclass
class GridCoverage:
    grid: Place | None
    households: int
    visited: int

    @property
    def share(self) -> float | None:
        return share(self.visited, self.households)


@dataclass
class CadreCoverage:
    cadre: object
    households: int  # liaison households
    visited: int  # of those, visited by the cadre in person
    visits: int  # visits the cadre took part in

    @property
    def share(self) -> float | None:
        return share(self.visited, self.households)


def _households(actor, within: str):
    households = visited_household_list(actor=actor)
    return households.filter(place_code__startswith=within) if within else households


def _visits(households, start: datetime.date, end: datetime.date):
    return Visit.objects.filter(household__in=households, visited_on__gte=start, visited_on__lte=end)


def coverage_by_grid(*, actor, start: datetime.date, end: datetime.date, within: str = "") -> list[GridCoverage]:
    households = _households(actor, within)
    totals: dict[str, int] = {}
    for code in households.values_list("place_code", flat=True):
        totals[prefix_at(code, PlaceKind.GRID)] = totals.get(prefix_at(code, PlaceKind.GRID), 0) + 1
    visited: dict[str, int] = {}
    for code, _household in (_visits(households, start, end).order_by()
                             .values_list("household__place_code", "household_id").distinct()):
        visited[prefix_at(code, PlaceKind.GRID)] = visited.get(prefix_at(code, PlaceKind.GRID), 0) + 1
    grids = {g.code: g for g in Place.objects.filter(code__in=totals)}
    return [GridCoverage(grids.get(code), totals[code], visited.get(code, 0)) for code in sorted(totals)]


def coverage_total(rows: list[GridCoverage]) -> GridCoverage:
    return GridCoverage(None, sum(r.households for r in rows), sum(r.visited for r in rows))


def coverage_by_cadre(*, actor, start: datetime.date, end: datetime.date, within: str = "") -> list[CadreCoverage]:
    households = _households(actor, within)
    assigned: dict[int, set[int]] = {}
    for household_id, liaison_id in households.exclude(liaison=None).values_list("pk", "liaison_id"):
        assigned.setdefault(liaison_id, set()).add(household_id)
    by_cadre: dict[int, set[int]] = {}
    visit_counts: dict[int, int] = {}
    pairs = Visit.visitors.through.objects.filter(visit__in=_visits(households, start, end))
    for user_id, household_id in pairs.values_list("user_id", "visit__household_id"):
        by_cadre.setdefault(user_id, set()).add(household_id)
        visit_counts[user_id] = visit_counts.get(user_id, 0) + 1
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(assigned) | set(visit_counts))}
    rows = [CadreCoverage(users[uid], len(assigned.get(uid, ())), len(assigned.get(uid, set()) & by_cadre.get(uid, set())),
                          visit_counts.get(uid, 0)) for uid in users]
    return sorted(rows, key=lambda r: (-(r.share or 0), str(r.cadre)))


def coverage_of_round(*, actor, visit_round) -> GridCoverage:
    """A 民情大走访 round: households in its place visited within it (linked to the round)."""
    households = _households(actor, visit_round.place.code)
    visited = (Visit.objects.filter(round=visit_round, household__in=households).order_by()
               .values("household_id").distinct().count())
    return GridCoverage(visit_round.place, households.count(), visited)


def visited_by_month(*, actor, start: datetime.date, end: datetime.date, within: str = "") -> list[tuple[datetime.date, int]]:
    """Distinct households visited in each calendar month of [start, end] (months with none included)."""
    pairs = (_visits(_households(actor, within), start, end).order_by()
             .values_list("visited_on", "household_id"))
    seen: dict[datetime.date, set[int]] = {}
    for day, household_id in pairs:
        seen.setdefault(day.replace(day=1), set()).add(household_id)
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append((month, len(seen.get(month, ()))))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
