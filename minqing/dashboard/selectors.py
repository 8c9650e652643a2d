"""Every read of the figures, given the actor.

`rates_for` is the one entry point (the dashboard, the reports, the home panel and the REST API call
it). It answers from the rollups when they hold the answer — a place down to community level, at
most one dimension filter, grouped by nothing, month, child place or one dimension — and from the
demands themselves otherwise (a grid, cross filters); both paths sum the same counters of metrics.py.

Scope: staff see the places they hold `appeal.view` at (a street's staff their street, a community's
its community); a partner unit sees only the demands sent to it, wherever they are.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.models import PartnerUnit, User
from minqing.accounts.navigation import kept_per_scope
from minqing.accounts.policy import ALL, partner_unit_ids, place_codes
from minqing.appeals.models import Appeal, Channel
from minqing.appeals.selectors import appeal_scope_q
from minqing.appeals.taxonomy import Category
from minqing.core.errors import NotFound, ValidationError
from minqing.core.userdata import DataText, data_choices
from minqing.places.models import KIND_SHAPE, Place
from minqing.places.selectors import place_by_code, root_place_code

from .metrics import DRILLS, HEADLINE_COUNTERS, HEADLINE_RATES, STORED_FIELDS, Figures, aggregates
from .models import ROLLUP_PLACE_LENGTH, AppealRollup, Dim, RollupState, Span
from .periods import Period, next_month, period_month

GROUPS = ("month", "place", "category", "subcategory", "channel", "handler", "unit")
FILTER_DIMS = ("category", "channel", "handler", "unit")
CODE_LENGTHS = sorted(length for _depth, length, _parent in KIND_SHAPE.values())


# --- scope ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    place: Place
    unit_id: int | None = None  # a partner unit: its own figures only
    roots: tuple[str, ...] = ()  # the places the actor may pick from (and everything under them)


def dashboard_scope(*, actor, place_code: str | None = None, unit_id: int | None = None) -> Scope:
    """The place the figures are for, checked against the actor's scope (outside it: NotFound)."""
    codes = place_codes(actor, "appeal.view")
    units = sorted(partner_unit_ids(actor))
    if codes is ALL:
        roots = (root_place_code(),)
        allowed = True
    elif codes:
        roots, allowed = tuple(codes), place_code is None or any(place_code.startswith(c) for c in codes)
    elif units:
        unit = PartnerUnit.objects.select_related("service_area").get(pk=units[0] if unit_id not in units else unit_id)
        place = Place.objects.filter(code=place_code).first() if place_code else unit.service_area
        if place is None:
            raise NotFound()
        return Scope(place=place, unit_id=unit.pk, roots=(unit.service_area.code,))
    else:
        raise NotFound()
    if not allowed:
        raise NotFound()
    place = place_by_code(place_code or roots[0])
    if place is None:
        raise NotFound()
    return Scope(place=place, unit_id=unit_id if unit_id in units else None, roots=roots)


# --- the figures ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: Figures
    drill: dict = field(default_factory=dict)  # the extra query parameters that select this row's demands


def _child_length(place_code: str) -> int | None:
    longer = [n for n in CODE_LENGTHS if n > len(place_code)]
    return longer[0] if longer else None


def _clean_filters(filters: dict | None, scope: Scope) -> dict[str, str]:
    cleaned = {k: str(v) for k, v in (filters or {}).items() if k in FILTER_DIMS and v is not None}
    bad = [k for k, v in cleaned.items() if k != "channel" and v and not v.isdigit()]
    if bad:
        raise ValidationError(fields={k: [_("无效的筛选条件。")] for k in bad})
    if scope.unit_id is not None:
        cleaned["unit"] = str(scope.unit_id)  # a partner unit cannot widen its view
    return cleaned


def _uses_rollups(place_code: str, group_by: str | None, filters: dict) -> bool:
    if len(place_code) > ROLLUP_PLACE_LENGTH or len(filters) > 1:
        return False
    if group_by == "place":
        child = _child_length(place_code)
        return child is not None and child <= ROLLUP_PLACE_LENGTH
    return group_by in (None, "month") or not filters


def _period_sql(period: Period) -> tuple[str, list]:
    """Whole months from the month rows, the days at either end from the day rows."""
    full = period.full_months()
    if not full:
        return '(span = %s AND period >= %s AND period <= %s)', [Span.DAY, period.start, period.end]
    last_end = next_month(full[-1]) - datetime.timedelta(days=1)
    months = ", ".join(["%s"] * len(full))
    return (f"((span = %s AND period IN ({months})) OR (span = %s AND period >= %s AND period < %s)"
            f" OR (span = %s AND period > %s AND period <= %s))",
            [Span.MONTH, *full, Span.DAY, period.start, full[0], Span.DAY, last_end, period.end])


def _category_leaf_ids(top_id: str) -> list[str]:
    if top_id == "":
        return [""]
    ids = Category.objects.filter(Q(pk=top_id) | Q(parent_id=top_id)).values_list("pk", flat=True)
    return [str(pk) for pk in ids]


ROLLUP_SUMS = ", ".join(f"SUM({name})" for name in STORED_FIELDS)


def _from_rollups(place_code: str, period: Period, group_by: str | None, filters: dict) -> dict[str, Figures]:
    """One SQL statement over the rollup rows (written out: this is the hot path of the dashboard, and
    the ORM spends longer compiling 56 SUMs than the database spends running them)."""
    dim = next(iter(filters), Dim.ALL) if group_by in (None, "month", "place") else group_by
    dim = Dim.CATEGORY if dim == "subcategory" else dim
    where, params = _period_sql(period)
    assert place_code.isdigit() or place_code == ""  # a place code: digits only, safe in LIKE
    where += " AND dim = %s AND place_code LIKE %s"
    params += [dim, f"{place_code}%"]
    if filters:
        keys = _category_leaf_ids(filters[dim]) if dim == Dim.CATEGORY else [filters[dim]]
        if not keys:  # an unknown category: nothing to count (and `IN ()` is invalid SQL on PostgreSQL)
            return {}
        where += f" AND key IN ({', '.join(['%s'] * len(keys))})"
        params += keys
    group = {None: "''", "month": "period", "place": f"SUBSTR(place_code, 1, {_child_length(place_code) or 12})"}
    expression = group.get(group_by, "key")
    sql = f"SELECT {expression}, {ROLLUP_SUMS} FROM {AppealRollup._meta.db_table} WHERE {where}"
    if group_by is not None:
        sql += f" GROUP BY {expression}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if group_by is None:
        return {"": Figures.of(dict(zip(STORED_FIELDS, rows[0][1:])))}
    result: dict[str, Figures] = {}
    tops = _category_tops() if group_by == "category" else {}
    for key, *values in rows:
        key = f"{str(key)[:8]}01" if group_by == "month" else tops.get(str(key), str(key))
        result[key] = result.get(key, Figures.empty()) + Figures.of(dict(zip(STORED_FIELDS, values)))
    return result


def _category_tops() -> dict[str, str]:
    return {str(pk): str(parent or pk) for pk, parent in Category.objects.values_list("pk", "parent_id")}


def _raw_demands(actor, place_code: str, period: Period, filters: dict) -> QuerySet[Appeal]:
    demands = Appeal.objects.filter(appeal_scope_q(actor), submitted_at__gte=period.since,
                                    submitted_at__lt=period.until, place_code__startswith=place_code)
    for dim, value in filters.items():
        column = {"category": "category_id", "channel": "channel", "handler": "handler_user_id",
                  "unit": "handler_unit_id"}[dim]
        if value == "":
            demands = demands.filter(**({column: ""} if dim == "channel" else {f"{column}__isnull": True}))
        elif dim == "category":
            demands = demands.filter(Q(category_id=value) | Q(category__parent_id=value))
        else:
            demands = demands.filter(**{column: value})
    return demands


def _from_demands(actor, place_code: str, period: Period, group_by: str | None, filters: dict) -> dict[str, Figures]:
    demands = _raw_demands(actor, place_code, period, filters)
    if group_by is None:
        return {"": Figures.of(demands.aggregate(**aggregates()))}
    expression = {
        "month": TruncMonth("submitted_at", tzinfo=timezone.get_default_timezone()),
        "place": Substr("place_code", 1, _child_length(place_code) or len(place_code)),
        "category": Coalesce("category__parent_id", "category_id"), "subcategory": F("category_id"),
        "channel": F("channel"), "handler": F("handler_user_id"), "unit": F("handler_unit_id"),
    }[group_by]
    result = {}
    for row in demands.annotate(g=expression).order_by().values("g").annotate(**aggregates()):
        key = row["g"]
        if group_by == "month":
            key = timezone.localtime(key).date().replace(day=1).isoformat() if isinstance(key, datetime.datetime) \
                else key.replace(day=1).isoformat()
        result["" if key is None else str(key)] = Figures.of(row)
    return result


def _labels(group_by: str, keys: list[str]) -> dict[str, str]:
    """Names for the keys of one grouping: one query (none for months and channels)."""
    ids = [int(k) for k in keys if k.isdigit()]
    if group_by == "month":
        return {k: k[:7] for k in keys}
    if group_by == "channel":
        return dict(Channel.choices)
    if group_by == "place":
        return dict(data_choices(Place.objects.filter(code__in=keys).values_list("code", "name")))
    if group_by in ("category", "subcategory"):
        categories = Category.objects.filter(pk__in=ids).select_related("parent")
        names = {str(c.pk): DataText(c.name if group_by == "category" else str(c)) for c in categories}
        return {"": _("未分类"), **names}
    if group_by == "handler":
        names = {str(u.pk): DataText(u.get_full_name() or u.username) for u in User.objects.filter(pk__in=ids)}
        return {"": _("协办单位承办或未派单"), **names}
    names = {str(pk): DataText(name) for pk, name in PartnerUnit.objects.filter(pk__in=ids).values_list("pk", "name")}
    return {"": _("无协办单位"), **names}


def _ordered_keys(group_by: str, found: dict[str, Figures], period: Period, place_code: str) -> list[str]:
    if group_by == "month":
        return [m.isoformat() for m in period.months]
    if group_by == "place":
        child = _child_length(place_code)
        depth = CODE_LENGTHS.index(child) if child else None
        children = list(Place.objects.filter(code__startswith=place_code, depth=depth)
                        .values_list("code", flat=True)) if child else []
        return sorted(set(children) | set(found))
    return sorted(found, key=lambda k: (-found[k].count("total"), k))


def _drill(group_by: str | None, key: str, period: Period) -> dict:
    if group_by is None:
        return {}
    if group_by == "month":
        return {"period": period.month(datetime.date.fromisoformat(key)).code}
    if group_by == "place":
        return {"place": key}
    return {"category" if group_by == "subcategory" else group_by: key}


def rates_for(*, actor, period: Period, place_code: str | None = None, group_by: str | None = None,
              filters: dict | None = None, scope: Scope | None = None) -> list[Row]:
    """The figures of the demands submitted in `period` at `place_code` (and under it), optionally
    grouped by month, child place, category (top level), channel, handler or partner unit and
    narrowed by `filters` ({"category": top id, "channel": …, "handler": user id, "unit": unit id};
    "" selects "none"). One row when group_by is None. Raises NotFound outside the actor's scope."""
    if group_by not in (None, *GROUPS):
        raise ValidationError(fields={"group_by": [_("无法按此分组。")]})
    scope = scope or dashboard_scope(actor=actor, place_code=place_code)
    code = scope.place.code
    filters = _clean_filters(filters, scope)
    engine = _from_rollups if _uses_rollups(code, group_by, filters) else None
    found = engine(code, period, group_by, filters) if engine else _from_demands(actor, code, period, group_by, filters)
    if group_by is None:
        return [Row("", DataText(scope.place.name), found.get("", Figures.empty()))]
    keys = _ordered_keys(group_by, found, period, code)
    labels = _labels(group_by, keys)
    return [Row(k, labels.get(k, k or "—"), found.get(k, Figures.empty()), _drill(group_by, k, period)) for k in keys]


def figures_for(*, actor, period: Period, place_code: str | None = None, filters: dict | None = None) -> Figures:
    return rates_for(actor=actor, period=period, place_code=place_code, filters=filters)[0].figures


def metric_demands(*, actor, period: Period, metric: str, place_code: str | None = None,
                   filters: dict | None = None) -> QuerySet[Appeal]:
    """Exactly the demands behind one number of the dashboard (the same conditions as its counter)."""
    if metric not in DRILLS:
        raise ValidationError(fields={"metric": [_("未知的统计项。")]})
    scope = dashboard_scope(actor=actor, place_code=place_code)
    demands = _raw_demands(actor, scope.place.code, period, _clean_filters(filters, scope)).filter(DRILLS[metric])
    return demands.select_related("place", "category", "category__parent", "handler_user", "handler_unit")


def rollup_state() -> RollupState | None:
    return RollupState.objects.filter(pk=1).first()


def _home_figures(actor, period: Period) -> dict | None:
    try:
        scope = dashboard_scope(actor=actor)
    except NotFound:
        return None
    from .rollups import rollups_refresh_if_stale

    rollups_refresh_if_stale()  # no scheduler running: bring the figures up to date on read
    return {"figures": _headline_figures(actor, scope, period), "place": scope.place}


def _headline_figures(actor, scope: Scope, period: Period) -> Figures:
    """The total and the headline rates' counters. From the rollups where they exist (one SQL statement);
    below them (a grid, a building) by counting only those ten counters over the demands, not all 56."""
    code, filters = scope.place.code, _clean_filters(None, scope)
    if _uses_rollups(code, None, filters):
        return rates_for(actor=actor, period=period, scope=scope)[0].figures
    demands = _raw_demands(actor, code, period, filters)
    return Figures.of(demands.aggregate(**aggregates(only=HEADLINE_COUNTERS)))


def dashboard_home_panel(request) -> dict:
    """Key rates of this month at the actor's own place, for the home page. Kept per scope, as the party and
    visits panels are (`kept_per_scope`): a month's rate moves by a demand at a time, and the figures come
    from rollups the scheduler refreshes every minute anyway. The dashboard itself is computed on request."""
    actor = request.user
    today = timezone.localdate()
    period = period_month(today.year, today.month)
    kept = kept_per_scope("dashboard-month", actor, "appeal.view", lambda: _home_figures(actor, period),
                          part=f"{sorted(partner_unit_ids(actor))}:{period.code}")
    if kept is None:
        return {"figures": None}
    figures, place = kept["figures"], kept["place"]
    rates = [(d, figures.rate(d.key)) for d in HEADLINE_RATES]
    link = f"{reverse('dashboard:index')}?place={place.code}&period={period.code}"
    return {"figures": figures, "rates": rates, "place": place, "period": period, "link": link}
