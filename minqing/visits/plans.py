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

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Max
from django.utils.translation import gettext_lazy

from minqing.accounts.policy import scope_q
from minqing.core.ttlcache import TtlCache, watch
from minqing.places.models import Place
from minqing.residents.models import Household, ResidentTag

from .models import Visit, VisitCycle
from .selectors import visited_household_list

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


# The cycles are a community's settings, read by every due count (a home panel's first visit, the to-do list):
# kept per process for a minute, cleared at once in every worker when a cycle or a place changes (core.ttlcache).
_KEPT_CYCLES = TtlCache("visit cycles", ttl=60)
watch(VisitCycle, Place)


def _cycles() -> list[VisitCycle]:
    return _KEPT_CYCLES.get("active", lambda: list(
        VisitCycle.objects.filter(is_active=True).select_related("community", "tag")))


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


def _cycle_lookup(cycles: list[VisitCycle]):
    """cycle_for, remembered per (community, cycle tags held): a community's households share a handful of
    answers, and asking the cycles once per household cost most of the home page's CPU (issue 19)."""
    prefix_lengths = sorted({len(c.community.code) for c in cycles if c.community_id})
    cycle_tags = {c.tag_id for c in cycles if c.tag_id}
    memo: dict[tuple, tuple[int, str]] = {}

    def lookup(place_code: str, tag_ids: set[int]) -> tuple[int, str]:
        key = (tuple(place_code[:n] for n in prefix_lengths), frozenset(tag_ids & cycle_tags))
        found = memo.get(key)
        if found is None:
            found = memo[key] = cycle_for(place_code, tag_ids, cycles)
        return found
    return lookup


def _inputs(*, actor, today: datetime.date, place_code: str = "", liaison=None):
    """(households as (id, place code), tags by household, last visit by household, cycle lookup)."""
    households = visited_household_list(actor=actor)
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
    return households, tags, last, _cycle_lookup(_cycles())


def due_list(*, actor, today: datetime.date, place_code: str = "", liaison=None,
             include_ok: bool = False) -> list[DueRow]:
    households, tags, last, cycle_of = _inputs(actor=actor, today=today, place_code=place_code, liaison=liaison)
    no_tags: set[int] = set()
    rows = []
    for pk, code in households:
        interval, reason = cycle_of(code, tags.get(pk, no_tags))
        row = _row(pk, code, interval, reason, last.get(pk), today)
        if include_ok or row.state != "ok":
            rows.append(row)
    order = {"overdue": 0, "soon": 1, "ok": 2}
    return sorted(rows, key=lambda r: (order[r.state], r.due_on or datetime.date.min, r.place_code))


def due_counts(*, actor, today: datetime.date) -> dict[str, int]:
    """How many of the actor's households are overdue and due soon: due_list's states, without building,
    sorting or keeping a row per household (the home panel shows only the two numbers).

    Every household is first counted as if it held no care tag — then its cycle is its community's, so the
    database counts them per (community, last visit), a few hundred groups — and the few holding a tag some
    cycle names are then moved from that state to their own. Walking a street's ~50,000 households in Python
    was ~110 ms of its first home page of the day (docs/performance.md, "tenth pass"). Each query is one join or
    one level of IN: a subquery nested in another's IN, or a NOT IN, left PostgreSQL's planner without
    statistics on a plan that ran for an hour."""
    cycles = _cycles()
    cycle_of = _cycle_lookup(cycles)
    community_length = max((len(c.community.code) for c in cycles if c.community_id), default=0)
    counts = {"overdue": 0, "soon": 0, "ok": 0}
    for community, last_visit, households in _household_groups(actor, community_length, today):
        counts[_state(last_visit, cycle_of(community, set())[0], today)] += households
    tagged, last = _tagged_households(actor, cycles, today)
    for pk, (code, tag_ids) in tagged.items():
        last_visit = last.get(pk)
        counts[_state(last_visit, cycle_of(code, set())[0], today)] -= 1
        counts[_state(last_visit, cycle_of(code, tag_ids)[0], today)] += 1
    return {"overdue": counts["overdue"], "soon": counts["soon"]}


def _household_groups(actor, community_length: int, today: datetime.date) -> list[tuple]:
    """(community code, last visit or None, households) over the actor's active households.

    One statement built from two compiled querysets, since the ORM joins no aggregate: the households LEFT JOIN
    their last visits (one hash join; a correlated last-visit subquery per household cost the database 80 ms
    for a street's ~50,000), grouped."""
    households = visited_household_list(actor=actor).order_by().values("pk", "place_code")
    last_visits = Visit.objects.filter(scope_q(actor, "visit.view", field="household__place_code"),
                                       household__is_active=True, visited_on__lte=today) \
        .order_by().values("household_id").annotate(last=Max("visited_on"))
    try:
        households_sql, households_params = households.query.sql_with_params()
        visits_sql, visits_params = last_visits.query.sql_with_params()
    except EmptyResultSet:
        return []
    sql = (f"SELECT SUBSTR(h.place_code, 1, %s), v.last, COUNT(*) FROM ({households_sql}) h "
           f"LEFT JOIN ({visits_sql}) v ON v.household_id = h.pk GROUP BY 1, 2")
    with connections[households.db].cursor() as cursor:
        cursor.execute(sql, [community_length, *households_params, *visits_params])
        return [(community or "", _as_date(last), n) for community, last, n in cursor.fetchall()]


def _as_date(value) -> datetime.date | None:
    """SQLite hands a date back from raw SQL as text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _tagged_households(actor, cycles: list[VisitCycle], today: datetime.date):
    """({id: (place code, cycle tags held)}, last visit by id) for the actor's active households where a living
    member holds a current care tag that some cycle names (their cycle may be shorter than their community's)."""
    cycle_tags = [c.tag_id for c in cycles if c.tag_id]
    holdings = ResidentTag.objects.current(today).filter(
        scope_q(actor, "visit.view", field="resident__household__place_code"), tag_id__in=cycle_tags,
        resident__status="living", resident__household__is_active=True)
    tags: dict[int, tuple[str, set[int]]] = {}
    for pk, code, tag_id in holdings.values_list("resident__household_id", "resident__household__place_code",
                                                 "tag_id"):
        tags.setdefault(pk, (code, set()))[1].add(tag_id)
    last = dict(Visit.objects.filter(household_id__in=holdings.values("resident__household_id"),
                                     visited_on__lte=today)
                .order_by().values("household_id").annotate(last=Max("visited_on"))
                .values_list("household_id", "last")) if tags else {}
    return tags, last


def _state(last_visit: datetime.date | None, interval: int, today: datetime.date) -> str:
    if last_visit is None:
        return "overdue"
    days_left = (last_visit - today).days + interval
    return "overdue" if days_left < 0 else "soon" if days_left <= SOON_DAYS else "ok"


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
    state = _state(last_visit, interval, today)
    return DueRow(pk, code, interval, reason, last_visit, due_on, state,
                  (today - due_on).days if state == "overdue" else 0)
