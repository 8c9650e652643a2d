"""Indicators read from the surveys app: the 民评官 score of each community (1–5 answers → 0–100) and of
each named staff member (满意 100, 基本满意 60, 不满意 0, averaged over survey and tracking-page
ratings; definitions: surveys.selectors.survey_scores), and complaints about a named cadre
(seed 002 "社区干部投诉量"). The assessment app sits above surveys, so it reads them; surveys knows
nothing of assessment."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minqing.places.codes import community_code
from minqing.surveys.models import Rating, StaffRating
from minqing.surveys.selectors import _bounds, survey_scores

from .indicators import RECORDS, IndicatorDef, Measure, register
from .models import Subject

# A complaint costs a cadre 20 points and a community 10 (its staff share the community's complaints).
COMPLAINT_COST = {Subject.STAFF: 20, Subject.COMMUNITY: 10}


def _measures(ctx, subject: str) -> dict:
    scores = survey_scores(ctx.street_code, ctx.start, ctx.end)
    if subject == Subject.COMMUNITY:
        return {code: Measure(row["scale_mean"], row["responses"], row["scale_mean"], row["score"])
                for code, row in scores["communities"].items() if code in ctx.community_codes}
    return {str(user_id): Measure(row["satisfied"] + row["basic"], row["ratings"], row["satisfied_share"], row["score"])
            for user_id, row in scores["staff"].items()}


def _records(ctx, subject: str, key: str):
    lo, hi = _bounds(ctx.start, ctx.end)
    rows = StaffRating.objects.filter(rated_at__gte=lo, rated_at__lt=hi, place_code__startswith=ctx.street_code)
    rows = rows.filter(place_code__startswith=key) if subject == Subject.COMMUNITY else rows.filter(staff_id=key)
    return [_("时间"), _("干部"), _("评价"), _("理由"), _("来源"), ""], [
        (f"{r.rated_at:%Y-%m-%d}", str(r.staff), r.get_rating_display(), r.reason, r.get_source_display(),
         reverse("surveys:ratings")) for r in rows.select_related("staff")[:500]]


def _complaints(ctx, subject: str) -> dict:
    """不满意 ratings about named staff, with their reasons: 100 − cost × complaints, floored at 0."""
    lo, hi = _bounds(ctx.start, ctx.end)
    rows = StaffRating.objects.filter(rated_at__gte=lo, rated_at__lt=hi, place_code__startswith=ctx.street_code,
                                      rating=Rating.DISSATISFIED).values_list("place_code", "staff_id")
    counts: dict[str, int] = {}
    if subject == Subject.COMMUNITY:
        counts = {code: 0 for code in ctx.community_codes}
    for place_code, staff_id in rows:
        key = community_code(place_code) if subject == Subject.COMMUNITY else str(staff_id)
        if subject == Subject.COMMUNITY and key not in counts:
            continue
        counts[key] = counts.get(key, 0) + 1
    cost = COMPLAINT_COST[subject]
    return {key: Measure(n, None, n, float(max(0, 100 - cost * n))) for key, n in counts.items()}


def _complaint_records(ctx, subject: str, key: str):
    headers, rows = _records(ctx, subject, key)
    return headers, [row for row in rows if row[2] == str(Rating.DISSATISFIED.label)]


def register_indicators() -> None:
    register(IndicatorDef(
        code="survey_score", label=_("民评官测评得分"), subjects=(Subject.COMMUNITY, Subject.STAFF),
        definition=_("社区：期内本社区问卷 1–5 分题的平均分折算为百分（(平均分 − 1) ÷ 4 × 100）；"
                     "干部：期内居民在问卷和诉求查询页对其评价的平均分（满意 100、基本满意 60、不满意 0）。"),
        compute=_measures, sources=("surveys",)))
    RECORDS["survey_score"] = _records
    register(IndicatorDef(
        code="cadre_complaints", label=_("干部投诉"), subjects=(Subject.COMMUNITY, Subject.STAFF),
        definition=_("期内居民在问卷和诉求查询页对具名干部的“不满意”评价（须写明理由）：干部每条扣 20 分、"
                     "社区每条扣 10 分，满分 100，最低 0。"),
        compute=_complaints, sources=("surveys",)))
    RECORDS["cadre_complaints"] = _complaint_records


register_indicators()
