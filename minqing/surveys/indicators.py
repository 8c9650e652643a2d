"""The 民评官 indicator for the assessment app's schemes, registered from SurveysConfig.ready():
the survey score of each community (1–5 answers → 0–100) and of each named staff member (满意 100,
基本满意 60, 不满意 0, averaged over survey and tracking-page ratings). Definitions: selectors.survey_scores."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import StaffRating
from .selectors import _bounds, survey_scores


def _measures(ctx, subject: str) -> dict:
    from minqing.assessment.indicators import Measure
    from minqing.assessment.models import Subject

    scores = survey_scores(ctx.street_code, ctx.start, ctx.end)
    if subject == Subject.COMMUNITY:
        return {code: Measure(row["scale_mean"], row["responses"], row["scale_mean"], row["score"])
                for code, row in scores["communities"].items() if code in ctx.community_codes}
    return {str(user_id): Measure(row["satisfied"] + row["basic"], row["ratings"], row["satisfied_share"], row["score"])
            for user_id, row in scores["staff"].items()}


def _records(ctx, subject: str, key: str):
    from minqing.assessment.models import Subject

    lo, hi = _bounds(ctx.start, ctx.end)
    rows = StaffRating.objects.filter(rated_at__gte=lo, rated_at__lt=hi, place_code__startswith=ctx.street_code)
    rows = rows.filter(place_code__startswith=key) if subject == Subject.COMMUNITY else rows.filter(staff_id=key)
    return [_("时间"), _("干部"), _("评价"), _("理由"), _("来源"), ""], [
        (f"{r.rated_at:%Y-%m-%d}", str(r.staff), r.get_rating_display(), r.reason, r.get_source_display(),
         reverse("surveys:ratings")) for r in rows.select_related("staff")[:500]]


def register_indicators() -> None:
    from minqing.assessment.indicators import RECORDS, IndicatorDef, register
    from minqing.assessment.models import Subject

    register(IndicatorDef(
        code="survey_score", label=_("民评官测评得分"), subjects=(Subject.COMMUNITY, Subject.STAFF),
        definition=_("社区：期内本社区问卷 1–5 分题的平均分折算为百分（(平均分 − 1) ÷ 4 × 100）；"
                     "干部：期内居民在问卷和诉求查询页对其评价的平均分（满意 100、基本满意 60、不满意 0）。"),
        compute=_measures, sources=("surveys",)))
    RECORDS["survey_score"] = _records
