"""Rates 统计: the dashboard's figures (response, resolution, satisfaction, overdue, reopen, recurrence
rates; median hours), for a period and place in the caller's scope, optionally grouped. Computed by
dashboard.selectors.rates_for — the same numbers as the dashboard page."""
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from minqing.appeals.taxonomy import Category
from minqing.core.errors import NotFound

from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_refresh_if_stale
from minqing.dashboard.selectors import rates_for

from ..schemas import READ_ERRORS, ErrorOut, ObjectId

router = Router(tags=["rates 统计"])


class RatesIn(Schema):
    period: str = Field("12m", max_length=30, description="2026-11、2026-Q4、2026、12m 或 2026-01-05~2026-02-10")
    place_code: str | None = Field(None, max_length=20, pattern=r"^\d+$")
    group_by: Literal["month", "place", "category", "channel", "handler", "unit"] | None = None
    category: ObjectId | None = Field(None, description="一级分类 id")
    channel: str | None = Field(None, max_length=16)
    unit: ObjectId | None = Field(None, description="协办单位 id")


class RateRowOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    rates: dict[str, float | None]
    median_response_hours: float | None
    median_close_hours: float | None
    satisfaction_basic_weight: float


@router.get("/rates", response={200: list[RateRowOut], READ_ERRORS: ErrorOut}, summary="诉求办理统计（各项比率）")
def rate_list(request, query: Query[RatesIn]):
    if query.category and not Category.objects.filter(pk=query.category).exists():
        # (rates_for would build `key IN ()` for a category without rows, which PostgreSQL rejects)
        raise NotFound(_("没有这个分类。"))
    filters = {name: getattr(query, name) for name in ("category", "channel", "unit") if getattr(query, name)}
    rollups_refresh_if_stale()  # no scheduler running: the figures are brought up to date on read
    rows = rates_for(actor=request.auth, period=period_parse(query.period), place_code=query.place_code,
                     group_by=query.group_by, filters=filters)
    return [{"key": str(row.key), "label": str(row.label), **row.figures.as_dict()} for row in rows]
