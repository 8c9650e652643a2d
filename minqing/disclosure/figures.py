"""Monthly demand figures 诉求月度数据 on a community's public board (no login).

The numbers are the demands app's own: the dashboard's single implementation of the rates
(minqing.dashboard.metrics, definitions in docs/metrics.md) applied to the cohort of demands
submitted in the month at the community — the same cohort and formulas the staff dashboard uses, so
the public board can never disagree with it.
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.appeals.models import Appeal
from minqing.dashboard.metrics import Figures, aggregates

PUBLIC_RATES = ("response", "resolution", "satisfaction")


@dataclass
class MonthFigures:
    year: int
    month: int
    received: int | None = None
    closed: int | None = None
    rates: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(PUBLIC_RATES))
    available: bool = False

    @property
    def label(self) -> str:
        return _("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = start + datetime.timedelta(days=calendar.monthrange(year, month)[1])
    return start, end


def recent_months(today: datetime.date, count: int) -> list[tuple[int, int]]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def month_figures(*, community_code: str, year: int, month: int) -> MonthFigures:
    figures = MonthFigures(year=year, month=month)
    start, end = month_bounds(year, month)
    cohort = Appeal.objects.filter(place_code__startswith=community_code, submitted_at__gte=start, submitted_at__lt=end)
    figures.available = True
    computed = Figures.of(cohort.aggregate(**aggregates()))
    figures.received, figures.closed = computed.count("total"), computed.count("closed")
    figures.rates = {key: computed.rate(f"{key}_rate") for key in PUBLIC_RATES}
    return figures


def months_figures(*, community_code: str, months: list[tuple[int, int]]) -> list[MonthFigures]:
    """Several months in one grouped query (the public 12-month page)."""
    if not months:
        return []

    start, _end = month_bounds(*months[0])
    _start, end = month_bounds(*months[-1])
    cohort = Appeal.objects.filter(place_code__startswith=community_code, submitted_at__gte=start, submitted_at__lt=end)
    grouped = (cohort.annotate(m=TruncMonth("submitted_at", tzinfo=timezone.get_default_timezone()))
               .order_by().values("m").annotate(**aggregates()))
    by_month = {}
    for row in grouped:
        day = timezone.localtime(row["m"]).date() if isinstance(row["m"], datetime.datetime) else row["m"]
        by_month[(day.year, day.month)] = Figures.of(row)
    out = []
    for year, month in months:
        computed = by_month.get((year, month), Figures.empty())
        out.append(MonthFigures(year=year, month=month, received=computed.count("total"),
                                closed=computed.count("closed"), available=True,
                                rates={key: computed.rate(f"{key}_rate") for key in PUBLIC_RATES}))
    return out
