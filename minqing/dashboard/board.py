"""The dashboard page's content for one actor, place and period: the figures, the monthly trend, the
breakdowns, the charts, and for every number the link to the demands behind it. A fixed number of
queries whatever the data size (one per grouping plus a few label look-ups)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from minqing.places.models import Place

from . import charts
from .metrics import DRILL_LABELS, RATE_DEFS, Figures, basic_weight, format_hours, format_number, format_rate
from .periods import Period
from .rollups import rollups_refresh_if_stale
from .selectors import Row, Scope, dashboard_scope, rates_for, rollup_state

BREAKDOWNS = (
    ("place", _("按地点")), ("category", _("按分类")), ("channel", _("按渠道")),
    ("handler", _("按承办人")), ("unit", _("按协办单位")),
)
TABLE_RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "closure_rate", "overdue_rate",
               "return_rate", "reopen_rate", "recurrence_rate")
RATE_BY_KEY = {d.key: d for d in RATE_DEFS}


def drill_url(scope: Scope, period: Period, metric: str, extra: dict | None = None) -> str:
    """The drill-down link of one number (hundreds per page: the fixed part is built once per request)."""
    base = _drill_base(scope.place.code, period.code)
    return f"{base}&metric={metric}" + (f"&{urlencode(extra)}" if extra else "")


@functools.lru_cache(maxsize=64)
def _drill_base(place_code: str, period_code: str) -> str:
    return f"{reverse('dashboard:demands')}?{urlencode({'place': place_code, 'period': period_code})}"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    title: str = ""


def rate_cell(figures: Figures, key: str, scope: Scope, period: Period, extra: dict | None = None) -> Cell:
    d = RATE_BY_KEY[key]
    value = figures.rate(key)
    title = f"{format_number(figures.numerator(key))}/{figures.count(d.denominator)}"
    url = drill_url(scope, period, d.shortfall, extra) if figures.count(d.shortfall) else ""
    return Cell(format_rate(value), url, title)


def table_rows(rows: list[Row], scope: Scope, period: Period) -> list[dict]:
    out = []
    for row in rows:
        f = row.figures
        cells = [Cell(str(f["total"]), drill_url(scope, period, "total", row.drill) if f["total"] else "")]
        cells += [rate_cell(f, key, scope, period, row.drill) for key in TABLE_RATES]
        cells += [Cell(format_hours(f.median_response_hours)), Cell(format_hours(f.median_close_hours))]
        out.append({"label": row.label, "cells": cells, "drill": row.drill})
    return out


def _weighted_parts(figures: Figures, key: str, scope: Scope, period: Period) -> dict:
    """The satisfaction rate's numerator is 满意 + w × 基本满意: show the parts, so the figures add up."""
    if key != "satisfaction_rate":
        return {"parts": [], "weight": ""}
    return {"parts": [{"label": DRILL_LABELS[name], "count": figures[name], "url": drill_url(scope, period, name)}
                      for name in ("satisfied", "basic")],
            "weight": format_number(float(basic_weight()))}


def headline(figures: Figures, scope: Scope, period: Period) -> list[dict]:
    items = []
    for d in RATE_DEFS:
        items.append({"key": d.key, "label": d.label, "value": format_rate(figures.rate(d.key)),
                      "numerator": format_number(figures.numerator(d.key)), "denominator": figures.count(d.denominator),
                      **_weighted_parts(figures, d.key, scope, period),
                      "num_url": drill_url(scope, period, d.numerator), "den_url": drill_url(scope, period, d.denominator),
                      "short_url": drill_url(scope, period, d.shortfall), "shortfall": figures.count(d.shortfall),
                      "good": d.higher_is_better})
    return items


def place_options(scope: Scope) -> list[tuple[str, str]]:
    """The roots of the actor's scope and the places under them down to grids, plus the chosen place."""
    condition = Q(code=scope.place.code)
    for root in scope.roots:
        condition |= Q(code__startswith=root, depth__lte=3)
    places = list(Place.objects.filter(condition).order_by("code").values_list("code", "name", "depth"))
    base = min((depth for _c, _n, depth in places), default=0)
    return [(code, "\u3000" * (depth - base) + name) for code, name, depth in places]


@dataclass
class Board:
    scope: Scope
    period: Period
    figures: Figures
    headline: list
    trend: dict
    trend_table: list
    breakdowns: list
    medians: dict
    state: object
    places: list


def dashboard_board(*, actor, place_code: str | None, period: Period) -> Board:
    scope = dashboard_scope(actor=actor, place_code=place_code)
    rollups_refresh_if_stale()  # no scheduler running: bring the figures up to date on read
    figures = rates_for(actor=actor, period=period, scope=scope)[0].figures
    months = rates_for(actor=actor, period=period, scope=scope, group_by="month")
    month_urls = [drill_url(scope, period, "total", r.drill) for r in months]
    breakdowns = []
    for group, label in BREAKDOWNS:
        if scope.unit_id is not None and group in ("unit", "handler"):
            continue  # a partner unit's own figures: no other units, no staff
        rows = [r for r in rates_for(actor=actor, period=period, scope=scope, group_by=group)
                if r.figures["total"] or group == "place"]
        urls = [drill_url(scope, period, "total", r.drill) for r in rows]
        breakdowns.append({"key": group, "label": label, "rows": table_rows(rows, scope, period),
                           "bars": charts.bars(rows, urls)})
    medians = {"response": format_hours(figures.median_response_hours),
               "close": format_hours(figures.median_close_hours),
               "responded": figures["responded"], "closed": figures["closed"]}
    return Board(scope=scope, period=period, figures=figures, headline=headline(figures, scope, period),
                 trend=charts.trend(months, month_urls), trend_table=table_rows(months, scope, period),
                 breakdowns=breakdowns, medians=medians, state=rollup_state(), places=place_options(scope))
