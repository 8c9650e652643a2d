"""Periods of the dashboard and the reports: a month, a quarter, a year, the last 12 months, or any
range of days — always whole days in Beijing time."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.errors import ValidationError


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of every month touched by [start, end]."""
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    code: str  # what the picker sends back: "2026-11", "2026-Q4", "2026", "12m", "2026-01-05~2026-02-10"

    @property
    def label(self) -> str:
        if re.fullmatch(r"\d{4}-\d{2}", self.code):
            return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}
        if re.fullmatch(r"\d{4}-Q\d", self.code):
            return _("%(y)d年第%(q)s季度") % {"y": self.start.year, "q": self.code[-1]}
        if re.fullmatch(r"\d{4}", self.code):
            return _("%(y)d年") % {"y": self.start.year}
        return f"{self.start:%Y-%m-%d} ~ {self.end:%Y-%m-%d}"

    @property
    def since(self) -> datetime.datetime:
        return local_midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        """Exclusive upper bound: midnight after the last day."""
        return local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.start, self.end)

    def full_months(self) -> list[datetime.date]:
        return [m for m in self.months if m >= self.start and next_month(m) - datetime.timedelta(days=1) <= self.end]

    def month(self, first_day: datetime.date) -> Period:
        last = next_month(first_day) - datetime.timedelta(days=1)
        start, end = max(first_day, self.start), min(last, self.end)
        code = f"{first_day:%Y-%m}" if (start, end) == (first_day, last) else f"{start:%Y-%m-%d}~{end:%Y-%m-%d}"
        return Period(start, end, code)


def period_month(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    return Period(start, next_month(start) - datetime.timedelta(days=1), f"{start:%Y-%m}")


def period_last_12_months(today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    start = month_start(today)
    for _i in range(11):
        start = month_start(start - datetime.timedelta(days=1))
    return Period(start, today, "12m")


def period_parse(code: str | None, today: datetime.date | None = None) -> Period:
    """The period a picker value names; the last 12 months when empty."""
    today = today or timezone.localdate()
    code = (code or "").strip()
    try:
        if not code or code == "12m":
            return period_last_12_months(today)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", code):
            return period_month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
            start = datetime.date(int(m[1]), 3 * int(m[2]) - 2, 1)
            end = next_month(next_month(next_month(start))) - datetime.timedelta(days=1)
            return Period(start, end, code)
        if m := re.fullmatch(r"(\d{4})", code):
            return Period(datetime.date(int(m[1]), 1, 1), datetime.date(int(m[1]), 12, 31), code)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})", code):
            start, end = datetime.date.fromisoformat(m[1]), datetime.date.fromisoformat(m[2])
            if start <= end and (end - start).days <= 3 * 366:
                return Period(start, end, code)
    except ValueError:
        pass
    raise ValidationError(fields={"period": [_("无法识别的统计期间：%(c)s") % {"c": code[:30]}]})


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The picker's options: the last 12 months, this and last year, the last 8 quarters, 24 months."""
    today = today or timezone.localdate()
    options = [period_last_12_months(today), period_parse(str(today.year)), period_parse(str(today.year - 1))]
    quarter = (today.month - 1) // 3 + 1
    year = today.year
    for _i in range(8):
        options.append(period_parse(f"{year}-Q{quarter}"))
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    month = month_start(today)
    for _i in range(24):
        options.append(period_month(month.year, month.month))
        month = month_start(month - datetime.timedelta(days=1))
    return [(p.code, _("最近12个月") if p.code == "12m" else p.label) for p in options]
