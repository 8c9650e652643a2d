"""The ledger's figures per community, counted by the scheduler for the home panels above a community.

A street's first visit to the home page counted its ~125,000 living residents and ~50,000 households (~60 ms
of database time at 1,000,000 residents; the whole city's ~360 ms), once per worker process and scope every
five minutes (docs/performance.md, "eleventh pass"). The figures move by a few rows a day, so the scheduler
counts every community in four grouped statements every TALLY_EVERY and the panel sums its scope's rows in one
indexed query. A tally older than TALLY_TRUSTED_FOR (the scheduler stopped) is not used: the panel counts live.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Substr

from minqing.places.codes import code_length
from minqing.places.models import PlaceKind

from .models import Household, LedgerTally, Resident
from .selectors import ledger_figure_querysets

TALLY_EVERY = datetime.timedelta(minutes=5)
TALLY_TRUSTED_FOR = datetime.timedelta(minutes=30)
FIGURES = ("residents", "floating", "households", "without_liaison")


def ledger_tally_refresh(now: datetime.datetime) -> str:
    """Scheduled (jobs registry): recount every community's figures unless counted within TALLY_EVERY."""
    last = LedgerTally.objects.aggregate(last=Max("counted_at"))["last"]
    if last is not None and now - last < TALLY_EVERY:
        return "ledger tally fresh"
    return f"{ledger_tally_count(now)} communities counted"


def ledger_tally_count(now: datetime.datetime) -> int:
    figures = _counted()
    with transaction.atomic():
        LedgerTally.objects.exclude(place_code__in=list(figures)).delete()
        LedgerTally.objects.bulk_create(
            [LedgerTally(place_code=code, counted_at=now, **counts) for code, counts in figures.items()],
            update_conflicts=True, unique_fields=["place_code"], update_fields=[*FIGURES, "counted_at"])
    return len(figures)


def _counted() -> dict[str, dict[str, int]]:
    """{community code: figures}: each of the ledger's figure querysets grouped by community (one statement each)."""
    community = Substr("place_code", 1, code_length(PlaceKind.COMMUNITY))
    figures: dict[str, dict[str, int]] = {}
    for name, rows in ledger_figure_querysets(Resident.objects.all(), Household.objects.all()).items():
        grouped = rows.order_by().annotate(community=community).values("community").annotate(n=Count("id"))
        for code, count in grouped.values_list("community", "n"):
            figures.setdefault(code, dict.fromkeys(FIGURES, 0))[name] = count
    return figures
