"""Chinese working days: `is_workday`, `add_working_days`, `working_days_between`.

Conventions (the 12345 hotline's "N 个工作日内"):
- the day a demand arrives is day zero; counting starts on the next day;
- a deadline of n working days is the end (23:59:59, Asia/Shanghai) of the n-th working day after
  the start day; n = 0 means the end of the start day itself;
- `working_days_between(a, b)` counts the working days in (a's day, b's day], so
  `working_days_between(a, add_working_days(a, n)) == n`.

Known years read their exceptions from CalendarDay (seeded from the pinned `chinesecalendar`
package, then edited by an administrator each year). Unknown years fall back to weekends plus the
fixed-date statutory holidays of 《全国年节及纪念日放假办法》(2024): 1 Jan, 1–2 May, 1–3 Oct.
The lunar holidays (春节, 清明, 端午, 中秋) cannot be fixed without the State Council's notice, which
is why the admin home page warns while next year's schedule is missing.
"""
from __future__ import annotations

import datetime
import threading
import time
import zoneinfo

from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节",
                  (10, 3): "国庆节"}
_CACHE_SECONDS = 300  # other processes (web, scheduler) see an admin's edit within five minutes
_lock = threading.Lock()
_cache: dict[int, tuple[float, dict[datetime.date, bool] | None]] = {}


def calendar_cache_clear() -> None:
    with _lock:
        _cache.clear()


def _year_exceptions(year: int) -> dict[datetime.date, bool] | None:
    """{date: is_workday} for a known year, None for a year without a published schedule."""
    now = time.monotonic()
    hit = _cache.get(year)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    from .models import CalendarDay, CalendarYear

    if CalendarYear.objects.filter(year=year).exists():
        days = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
        value = dict(days)
    else:
        value = None
    with _lock:
        _cache[year] = (now, value)
    return value


def is_year_known(year: int) -> bool:
    return _year_exceptions(year) is not None


def is_workday(day: datetime.date) -> bool:
    exceptions = _year_exceptions(day.year)
    if exceptions is None:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def _local_day(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            raise ValueError("working-day arithmetic needs aware datetimes")
        return moment.astimezone(SHANGHAI).date()
    return moment


def end_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)


def add_working_days(start: datetime.datetime, n: int) -> datetime.datetime:
    """The end of the n-th working day after `start`'s day (Asia/Shanghai)."""
    if n < 0:
        raise ValueError("n must be zero or positive")
    day = _local_day(start)
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return end_of_day(day)


def working_days_between(a: datetime.datetime, b: datetime.datetime) -> int:
    """Working days in (a's day, b's day]; negative when b is before a."""
    first, last = _local_day(a), _local_day(b)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    count = 0
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        count += is_workday(day)
    return sign * count
