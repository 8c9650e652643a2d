"""Local days as timestamp ranges for queries.

`closed_at__date__gte=start` converts every row's timestamp to the local date before comparing, so
PostgreSQL cannot use an index on `closed_at` and reads every closed demand: at 2,000,000 demands the
五个一 page's "solved a problem" source took ~400 ms for one query (bench/results/city-2m.md). The same
days as a half-open range of aware datetimes compare the raw column and use the index."""
from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def days_q(field: str, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """Rows whose `field` falls on a local day from `start` to `end`, both included (either may be None)."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": day_start(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": day_start(end + datetime.timedelta(days=1))})
    return q
