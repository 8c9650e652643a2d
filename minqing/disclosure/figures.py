"""Monthly demand figures 诉求月度数据 shown on a community's public board.

Counts come straight from the demands app's Appeal model when it is installed. The three rates
(response, resolution, satisfaction) are defined and computed by the demands app itself
(docs/metrics.md); the board only asks for them through `_rates()` and shows "—" until that
module answers, so the public figures can never disagree with the staff dashboard.
"""
from __future__ import annotations

import calendar
import datetime
import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone


@dataclass
class MonthFigures:
    year: int
    month: int
    received: int | None = None
    closed: int | None = None
    by_category: list[tuple[str, int]] = field(default_factory=list)
    rates: dict[str, float | None] = field(default_factory=dict)  # response / resolution / satisfaction
    available: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    last = calendar.monthrange(year, month)[1]
    end = datetime.datetime(year, month, last, tzinfo=tz) + datetime.timedelta(days=1)
    return start, end


def recent_months(today: datetime.date, count: int) -> list[tuple[int, int]]:
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _appeal_model():
    try:
        return apps.get_model("appeals", "Appeal")
    except LookupError:
        return None


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _rates(community_code: str, start: datetime.datetime, end: datetime.datetime) -> dict[str, float | None]:
    """Hook: the demands app's own metrics, if it offers them; otherwise the rates stay undefined.

    TODO(appeals): wire to the demands app's metrics function once it exists; the names tried here
    are the ones its issue describes (response / resolution / satisfaction rate per place and period).
    """
    empty = {"response": None, "resolution": None, "satisfaction": None}
    try:
        metrics = importlib.import_module("minqing.appeals.metrics")
    except ModuleNotFoundError:
        return empty
    compute = getattr(metrics, "public_rates", None) or getattr(metrics, "rates_for_place", None)
    if compute is None:
        return empty
    try:
        result = compute(place_code=community_code, start=start, end=end)
    except TypeError:
        return empty
    return {key: _as_share(result, key) for key in empty}


def _as_share(result, key: str) -> float | None:
    value = result.get(key) if isinstance(result, dict) else getattr(result, key, None)
    if value is None:
        value = result.get(f"{key}_rate") if isinstance(result, dict) else getattr(result, f"{key}_rate", None)
    return None if value is None else float(value)


def month_figures(*, community_code: str, year: int, month: int) -> MonthFigures:
    figures = MonthFigures(year=year, month=month)
    model = _appeal_model()
    if model is None:
        return figures
    start, end = month_bounds(year, month)
    names = _field_names(model)
    place_field = ("place_code__startswith" if "place_code" in names
                   else "place__code__startswith" if "place" in names else None)
    created_field = "submitted_at" if "submitted_at" in names else "created_at"
    appeals = model.objects.all()
    if place_field:
        appeals = appeals.filter(**{place_field: community_code})
    figures.received = appeals.filter(**{f"{created_field}__gte": start, f"{created_field}__lt": end}).count()
    if "closed_at" in names:
        figures.closed = appeals.filter(closed_at__gte=start, closed_at__lt=end).count()
    figures.rates = _rates(community_code, start, end)
    figures.available = True
    return figures
