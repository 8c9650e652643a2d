"""Maintaining the rollups: recompute whole days from the demands, then the months they belong to.

A recompute of a day is idempotent (delete that day's rows, insert them again from the demands) and
serialised by a row lock on RollupState, so the scheduled job, a second scheduler and a manual
rebuild can run at the same moment without double counting. The job consumes RollupDirtyDay marks
(written by the appeals services) and, once a day, re-checks the last SWEEP_DAYS days anyway, which
also catches rows written outside the services (bulk loads, data fixes).
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Max, Sum, Value
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from minqing.appeals.models import Appeal

from .metrics import STORED_FIELDS, aggregates
from .models import ROLLUP_PLACE_LENGTH, AppealRollup, Dim, RollupDirtyDay, RollupState, Span
from .periods import local_midnight, next_month

BATCH_MARKS = 20000
DIM_KEYS = {Dim.ALL: Value(""), Dim.CATEGORY: F("category_id"), Dim.CHANNEL: F("channel"),
            Dim.HANDLER: F("handler_user_id"), Dim.UNIT: F("handler_unit_id")}


def sweep_days() -> int:
    return int(getattr(settings, "MINQING_ROLLUP_SWEEP_DAYS", 45))


def _ranges(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Sorted days → runs of consecutive days."""
    runs: list[list[datetime.date]] = []
    for day in days:
        if runs and day - runs[-1][1] == datetime.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _key(value) -> str:
    return "" if value is None else str(value)


def day_rows(start: datetime.date, end: datetime.date) -> list[AppealRollup]:
    """The rollup rows of days start..end (inclusive), computed from the demands: one grouped query per dimension."""
    demands = Appeal.objects.filter(submitted_at__gte=local_midnight(start),
                                    submitted_at__lt=local_midnight(end + datetime.timedelta(days=1)))
    demands = demands.annotate(rollup_day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()),
                               rollup_place=Substr("place_code", 1, ROLLUP_PLACE_LENGTH))
    rows = []
    for dim, key in DIM_KEYS.items():
        grouped = (demands.annotate(rollup_key=key).order_by().values("rollup_day", "rollup_place", "rollup_key")
                   .annotate(**aggregates()))
        for row in grouped:
            rows.append(AppealRollup(span=Span.DAY, period=row["rollup_day"], place_code=row["rollup_place"],
                                     dim=dim, key=_key(row["rollup_key"]),
                                     **{name: row[name] for name in STORED_FIELDS}))
    return rows


def month_rows(month: datetime.date) -> list[AppealRollup]:
    """A month's rows: the sums of its day rows."""
    days = AppealRollup.objects.filter(span=Span.DAY, period__gte=month, period__lt=next_month(month))
    grouped = days.order_by().values("place_code", "dim", "key").annotate(**{name: Sum(name) for name in STORED_FIELDS})
    return [AppealRollup(span=Span.MONTH, period=month, place_code=row["place_code"], dim=row["dim"], key=row["key"],
                         **{name: row[name] for name in STORED_FIELDS}) for row in grouped]


def _lock_state() -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


@transaction.atomic
def rollups_recompute(days: Iterable[datetime.date], *, now: datetime.datetime | None = None) -> int:
    """Recompute the given days and the months they fall in; returns the number of rows written."""
    days = sorted(set(days))
    state = _lock_state()
    written = 0
    for start, end in _ranges(days):
        AppealRollup.objects.filter(span=Span.DAY, period__gte=start, period__lte=end).delete()
        written += len(AppealRollup.objects.bulk_create(day_rows(start, end), batch_size=500))
    for month in sorted({day.replace(day=1) for day in days}):
        AppealRollup.objects.filter(span=Span.MONTH, period=month).delete()
        written += len(AppealRollup.objects.bulk_create(month_rows(month), batch_size=500))
    state.refreshed_at = now or timezone.now()
    state.save(update_fields=["refreshed_at", "updated_at"])
    return written


def rollups_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Everything from scratch (after a bulk load): every day from the first demand to the last."""
    bounds = Appeal.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    AppealRollup.objects.all().delete()
    if bounds["first"] is None:
        return 0
    first, last = timezone.localdate(bounds["first"]), timezone.localdate(bounds["last"])
    written, month = 0, first.replace(day=1)
    while month <= last:  # a month per transaction: bounded memory, and the dashboard stays readable
        end = min(next_month(month) - datetime.timedelta(days=1), last)
        start = max(month, first)
        written += rollups_recompute([start + datetime.timedelta(days=i) for i in range((end - start).days + 1)],
                                     now=now)
        month = next_month(month)
    RollupState.objects.filter(pk=1).update(rebuilt_at=now or timezone.now())
    return written


def rollups_refresh(now: datetime.datetime) -> str:
    """The scheduled job: recompute the marked days; once a day also the last SWEEP_DAYS days."""
    marks = list(RollupDirtyDay.objects.order_by("id").values_list("id", "day")[:BATCH_MARKS])
    days = {day for _id, day in marks}
    today = timezone.localdate(now)
    state = RollupState.objects.filter(pk=1).first()
    sweep = state is None or state.swept_on != today
    if sweep:
        days |= {today - datetime.timedelta(days=i) for i in range(sweep_days())}
    if days:
        rollups_recompute(days, now=now)
    # Delete exactly the marks that were read: one written meanwhile stays for the next run.
    RollupDirtyDay.objects.filter(id__in=[pk for pk, _day in marks]).delete()
    if sweep:
        RollupState.objects.filter(pk=1).update(swept_on=today)
    return f"recomputed {len(days)} days ({len(marks)} marks{', sweep' if sweep else ''})"
