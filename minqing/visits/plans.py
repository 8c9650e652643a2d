"""Visit plans: which households are due or overdue for a visit, by the shortest cycle that applies.

A household's cycle is the shortest active VisitCycle matching it — one for every household (tag
empty) and one per care tag held by a living member (elders living alone monthly …), in its community
or everywhere. It is due `interval` days after its last visit; a household never visited is overdue.
Four queries whatever the number of households (households, their tags, the cycles, last visits),
and one more to load the households of the page shown (`due_attach`).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext_lazy

from minqing.accounts.policy import scope_q
from minqing.residents.models import Household, ResidentTag

from .models import Visit, VisitCycle

ALL_HOUSEHOLDS = gettext_lazy("所有户")

DEFAULT_INTERVAL_DAYS = 90  # when no cycle is configured at all: once a quarter
SOON_DAYS = 7


@dataclass
class DueRow:
    household_id: int
    place_code: str
    interval_days: int
    reason: str  # the cycle that applies: "所有户" (translated) or the tag's name
    last_visit: datetime.date | None
    due_on: datetime.date | None  # None: never visited
    state: str  # "overdue" | "soon" | "ok"
    days_overdue: int = 0
    household: Household | None = None  # loaded by due_attach() for the rows actually shown


def _cycles() -> list[VisitCycle]:
    return list(VisitCycle.objects.filter(is_active=True).select_related("community", "tag"))


def cycle_for(place_code: str, tag_ids: set[int], cycles: list[VisitCycle]) -> tuple[int, str]:
    best = None
    for cycle in cycles:
        if cycle.community_id and not place_code.startswith(cycle.community.code):
            continue
        if cycle.tag_id and cycle.tag_id not in tag_ids:
            continue
        if best is None or cycle.interval_days < best.interval_days:
            best = cycle
    if best is None:
        return DEFAULT_INTERVAL_DAYS, str(ALL_HOUSEHOLDS)
    return best.interval_days, (best.tag.name if best.tag_id else str(ALL_HOUSEHOLDS))


def due_list(*, actor, today: datetime.date, place_code: str = "", liaison=None,
             include_ok: bool = False) -> list[DueRow]:
    households = Household.objects.filter(scope_q(actor, "visit.view", field="place_code"), is_active=True)
    if place_code:
        households = households.filter(place_code__startswith=place_code)
    if liaison is not None:
        households = households.filter(liaison=liaison)
    # The scoped households as a subquery, not a list of ids: a street spans thousands of households,
    # and an IN list that long is slow to plan on PostgreSQL and over SQLite's variable limit at city size.
    ids = households.values("pk")
    # Plain tuples, not model instances, for the same reason.
    households = list(households.values_list("pk", "place_code"))
    tags: dict[int, set[int]] = {}
    for household_id, tag_id in (ResidentTag.objects.current(today)
                                 .filter(resident__household_id__in=ids, resident__status="living")
                                 .values_list("resident__household_id", "tag_id")):
        tags.setdefault(household_id, set()).add(tag_id)
    last = dict(Visit.objects.filter(household_id__in=ids, visited_on__lte=today).values("household_id")
                .annotate(last=Max("visited_on")).values_list("household_id", "last"))
    cycles = _cycles()
    rows = []
    for pk, code in households:
        interval, reason = cycle_for(code, tags.get(pk, set()), cycles)
        row = _row(pk, code, interval, reason, last.get(pk), today)
        if include_ok or row.state != "ok":
            rows.append(row)
    order = {"overdue": 0, "soon": 1, "ok": 2}
    return sorted(rows, key=lambda r: (order[r.state], r.due_on or datetime.date.min, r.place_code))


def due_attach(rows: list[DueRow]) -> list[DueRow]:
    """Load the households (building, head, liaison) of the rows on screen, in one query."""
    households = Household.objects.select_related("building", "head", "liaison").in_bulk([r.household_id for r in rows])
    for row in rows:
        row.household = households.get(row.household_id)
    return rows


def _row(pk: int, code: str, interval: int, reason: str, last_visit, today) -> DueRow:
    if last_visit is None:
        return DueRow(pk, code, interval, reason, None, None, "overdue", 0)
    due_on = last_visit + datetime.timedelta(days=interval)
    if due_on < today:
        return DueRow(pk, code, interval, reason, last_visit, due_on, "overdue", (today - due_on).days)
    state = "soon" if (due_on - today).days <= SOON_DAYS else "ok"
    return DueRow(pk, code, interval, reason, last_visit, due_on, state)
