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
from django.db import connection, transaction
from django.db.models import F, Max, Min, Value
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from minqing.appeals.models import Appeal
from minqing.core.ttlcache import TtlCache

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


COLUMNS = ["created_at", "updated_at", "version", "span", "period", "place_code", "dim", "key", *STORED_FIELDS]


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in COLUMNS)


def _day_groupings(start: datetime.date, end: datetime.date):
    """Per dimension, the demands of days start..end grouped by (day, community, key) with every counter."""
    demands = Appeal.objects.filter(submitted_at__gte=local_midnight(start),
                                    submitted_at__lt=local_midnight(end + datetime.timedelta(days=1)))
    demands = demands.annotate(rollup_day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()),
                               rollup_place=Substr("place_code", 1, ROLLUP_PLACE_LENGTH))
    for dim, key in DIM_KEYS.items():
        yield dim, (demands.annotate(rollup_key=key).order_by().values("rollup_day", "rollup_place", "rollup_key")
                    .annotate(**aggregates()))


def insert_day_rows(start: datetime.date, end: datetime.date, now: datetime.datetime) -> int:
    """INSERT … SELECT the day rows straight from the grouped demands: no row passes through Python."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    counters = ", ".join(f"sub.{name}" for name in STORED_FIELDS)
    written = 0
    for dim, grouped in _day_groupings(start, end):
        sql, params = grouped.query.sql_with_params()
        insert = (f"INSERT INTO {AppealRollup._meta.db_table} ({_columns()}) "
                  f"SELECT %s, %s, 1, %s, sub.rollup_day, sub.rollup_place, %s, "
                  f"COALESCE(CAST(sub.rollup_key AS VARCHAR(20)), ''), {counters} FROM ({sql}) sub")
        with connection.cursor() as cursor:
            cursor.execute(insert, [stamp, stamp, Span.DAY, dim, *params])
            written += cursor.rowcount
    return written


def insert_month_rows(month: datetime.date, now: datetime.datetime) -> int:
    """A month's rows: the sums of its day rows."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    sums = ", ".join(f"SUM({name})" for name in STORED_FIELDS)
    first, after = (connection.ops.adapt_datefield_value(d) for d in (month, next_month(month)))
    insert = (f"INSERT INTO {AppealRollup._meta.db_table} ({_columns()}) "
              f"SELECT %s, %s, 1, %s, %s, place_code, dim, {connection.ops.quote_name('key')}, {sums} "
              f"FROM {AppealRollup._meta.db_table} WHERE span = %s AND period >= %s AND period < %s "
              f"GROUP BY place_code, dim, {connection.ops.quote_name('key')}")
    with connection.cursor() as cursor:
        cursor.execute(insert, [stamp, stamp, Span.MONTH, first, Span.DAY, first, after])
        return cursor.rowcount


def _lock_state() -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


@transaction.atomic
def rollups_recompute(days: Iterable[datetime.date], *, now: datetime.datetime | None = None) -> int:
    """Recompute the given days and the months they fall in; returns the number of rows written."""
    days = sorted(set(days))
    state = _lock_state()
    now = now or timezone.now()
    written = 0
    for start, end in _ranges(days):
        AppealRollup.objects.filter(span=Span.DAY, period__gte=start, period__lte=end).delete()
        written += insert_day_rows(start, end, now)
    for month in sorted({day.replace(day=1) for day in days}):
        AppealRollup.objects.filter(span=Span.MONTH, period=month).delete()
        written += insert_month_rows(month, now)
    state.refreshed_at = now
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


def stale_after_seconds() -> int:
    """Marks older than this mean no scheduler is bringing the figures up to date (it runs every minute)."""
    return int(getattr(settings, "MINQING_ROLLUP_STALE_SECONDS", 120))


# When this process may next find a stale mark. A mark is written with the time of its change, so if the
# oldest mark seen at T was made at M (or there was none, M = T), none can be older than the grace period
# before M + grace: until then the check is not run (one query less on each scope's first view of a home
# page, issue 19). A mark from a transaction still open at T that commits later is seen that much later —
# its change waited in the transaction too. Any process's change to the watched caches clears this as well.
_NO_STALE_MARK_BEFORE = TtlCache("no stale rollup mark before", ttl=3600)


def rollups_refresh_if_stale(now: datetime.datetime | None = None) -> bool:
    """Called when the figures are read: if changes have waited longer than the scheduler would let them
    (it is not running), recompute their days now, so the dashboard never silently goes stale. Only the
    marked days, never the daily sweep: a page read stays a page read. True if it recomputed."""
    now = now or timezone.now()
    due = _NO_STALE_MARK_BEFORE.get("due", lambda: None)
    if due is not None and now < due:
        return False
    marked = RollupDirtyDay.objects.using("default").order_by("id")
    # The oldest mark alone decides: reading the whole batch on every dashboard and home page cost ~30 ms
    # whenever a busy day had left thousands of fresh marks for the scheduler (bench/results/city-2m.md).
    oldest = marked.values_list("marked_at", flat=True).first()
    grace = datetime.timedelta(seconds=stale_after_seconds())
    if oldest is None or oldest > now - grace:
        _NO_STALE_MARK_BEFORE.put("due", min(oldest or now, now) + grace)
        return False
    marks = list(marked.values_list("id", "day", "marked_at")[:BATCH_MARKS])
    rollups_recompute({day for _id, day, _at in marks}, now=now)
    RollupDirtyDay.objects.filter(id__in=[pk for pk, _day, _at in marks]).delete()
    return True
