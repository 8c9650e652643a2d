"""The ledger's figures per community, counted by the scheduler for the home panels.

A street's first visit to the home page counted its ~125,000 living residents and ~50,000 households (~60 ms
of database time at 1,000,000 residents; the whole city's ~360 ms), once per worker process and scope every
five minutes, and a community's every visit its ~20,000 (~8 ms) (docs/performance.md, "eleventh" and "twelfth
pass"). The figures move by a few rows a day, so the scheduler counts every community in four grouped
statements every TALLY_EVERY, and in between recounts the communities whose rows changed (`LedgerChange`,
noted by database triggers). Above a community the panel sums its scope's rows in one indexed query and says as
of when; a community's own panel reads them only while nothing changed since, so its figures stay exact. A
tally older than TALLY_TRUSTED_FOR (the scheduler stopped) is not used: the panels count live.
"""
from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Substr

from minqing.places.codes import code_length
from minqing.places.models import PlaceKind

from .models import Household, LedgerChange, LedgerTally, Resident
from .selectors import ledger_figure_querysets

TALLY_EVERY = datetime.timedelta(minutes=5)
TALLY_TRUSTED_FOR = datetime.timedelta(minutes=30)
FIGURES = ("residents", "floating", "households", "without_liaison")
# Dropped by their ids, not "up to the newest seen": on PostgreSQL an id taken earlier may commit later, unseen.
# SQLite notes one row per written row (a demo build leaves ~18,000), more than one statement may bind.
CHANGES_DROPPED_AT_ONCE = 900


def ledger_tally_refresh(now: datetime.datetime) -> str:
    """Scheduled (jobs registry): recount every community unless counted within TALLY_EVERY, else the changed ones."""
    last = LedgerTally.objects.aggregate(last=Max("counted_at"))["last"]
    if last is None or now - last >= TALLY_EVERY:
        return f"{ledger_tally_count(now)} communities counted"
    changes = dict(LedgerChange.objects.values_list("id", "place_code"))
    if not changes:
        return "ledger tally fresh"
    return f"{ledger_tally_count(now, changes=changes)} changed communities counted"


def ledger_tally_count(now: datetime.datetime, *, changes: dict[int, str] | None = None) -> int:
    """Count every community (`changes` None) or only those of `changes` ({LedgerChange id: code}), then drop
    the changes seen. They are read before counting, so a change committed meanwhile stays for the next run.
    Returns how many communities were counted (an emptied one is counted, and its row dropped)."""
    if changes is None:
        changes = dict(LedgerChange.objects.values_list("id", "place_code"))
        figures, counted = _counted(), None
    else:
        counted = set(changes.values())
        figures = _counted(reduce(or_, (Q(place_code__under=code) for code in counted)))
    with transaction.atomic():
        gone = LedgerTally.objects.exclude(place_code__in=list(figures))
        (gone if counted is None else gone.filter(place_code__in=counted)).delete()
        LedgerTally.objects.bulk_create(
            [LedgerTally(place_code=code, counted_at=now, **counts) for code, counts in figures.items()],
            update_conflicts=True, unique_fields=["place_code"], update_fields=[*FIGURES, "counted_at"])
        seen = list(changes)
        for start in range(0, len(seen), CHANGES_DROPPED_AT_ONCE):
            LedgerChange.objects.filter(id__in=seen[start:start + CHANGES_DROPPED_AT_ONCE]).delete()
    return len(figures) if counted is None else len(counted)


def _counted(where: Q = Q()) -> dict[str, dict[str, int]]:
    """{community code: figures}: each of the ledger's figure querysets grouped by community (one statement each)."""
    community = Substr("place_code", 1, code_length(PlaceKind.COMMUNITY))
    figures: dict[str, dict[str, int]] = {}
    querysets = ledger_figure_querysets(Resident.objects.filter(where), Household.objects.filter(where))
    for name, rows in querysets.items():
        grouped = rows.order_by().annotate(community=community).values("community").annotate(n=Count("id"))
        for code, count in grouped.values_list("community", "n"):
            figures.setdefault(code, dict.fromkeys(FIGURES, 0))[name] = count
    return figures
