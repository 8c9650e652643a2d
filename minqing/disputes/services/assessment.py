"""Stability risk assessment 稳评: open, consult, find risk points, conclude, sign. Signed is final."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record, diff, snapshot
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.places.models import Place

from ..models import AssessmentLevel, Consultation, RiskPoint, StabilityAssessment
from .common import require

CONCLUSION_FIELDS = ("overall_level", "measures", "conclusion", "conclusion_reason")


def _lock_draft(assessment_id: int, actor, expected_version: int | None = None) -> StabilityAssessment:
    assessment = lock_for_change(StabilityAssessment.objects.select_related("place"), pk=assessment_id,
                                 expected_version=expected_version)
    ensure_can(actor, "dispute.change", assessment.place.code)
    if assessment.is_signed:
        raise TransitionNotAllowed(_("稳评报告已签发，不能再修改。"))
    return assessment


@transaction.atomic
def assessment_open(*, actor, place: Place, decision: str, decision_maker: str, background: str,
                    affected_people: int = 0) -> StabilityAssessment:
    ensure_can(actor, "dispute.change", place.code)
    require(decision=(decision or "").strip(), decision_maker=(decision_maker or "").strip(),
            background=(background or "").strip())
    assessment = StabilityAssessment.objects.create(
        place=place, decision=decision.strip(), decision_maker=decision_maker.strip(), background=background.strip(),
        affected_people=affected_people, created_by=actor)
    audit_record(actor=actor, action="stability.open", obj=assessment,
                 payload=snapshot(assessment, ("decision", "decision_maker", "place")))
    return assessment


def _check_meeting(actor, meeting, method: str) -> dict:
    """A consultation held as a meeting links to the meeting's record, which must have taken place."""
    ensure_can(actor, "meeting.view", meeting.place_code)
    if method not in (Consultation.Method.MEETING, Consultation.Method.HEARING):
        return {"meeting": [_("只有座谈会/恳谈会或听证会可以关联会议。")]}
    if not meeting.is_held:
        return {"meeting": [_("关联的会议尚未召开。")]}
    return {}


@transaction.atomic
def consultation_add(*, actor, assessment_id: int, method: str, held_on: datetime.date, summary: str,
                     people_count: int = 0, support_count: int = 0, link: str = "", meeting=None) -> Consultation:
    assessment = _lock_draft(assessment_id, actor)
    require(method=method, held_on=held_on, summary=(summary or "").strip())
    errors = {}
    if method not in Consultation.Method.values:
        errors["method"] = [_("请选择征求意见方式。")]
    if support_count > people_count:
        errors["support_count"] = [_("赞成人数不能多于参与人数。")]
    if link and not link.startswith(("/", "http://", "https://")):
        errors["link"] = [_("链接应为本系统页面路径或网址。")]
    if meeting is not None:
        errors.update(_check_meeting(actor, meeting, method))
    if errors:
        raise ValidationError(fields=errors)
    consultation = Consultation.objects.create(assessment=assessment, method=method, held_on=held_on,
                                               summary=summary.strip(), people_count=people_count,
                                               support_count=support_count, link=link, meeting=meeting)
    audit_record(actor=actor, action="stability.consult", obj=assessment,
                 payload={"method": consultation.get_method_display(), "held_on": held_on, "people": people_count})
    return consultation


@transaction.atomic
def risk_point_add(*, actor, assessment_id: int, description: str, likelihood: int, impact: int,
                   measure: str = "") -> RiskPoint:
    assessment = _lock_draft(assessment_id, actor)
    require(description=(description or "").strip())
    errors = {name: [_("请填写1至5的整数。")] for name, value in (("likelihood", likelihood), ("impact", impact))
              if not isinstance(value, int) or not 1 <= value <= 5}
    if errors:
        raise ValidationError(fields=errors)
    point = RiskPoint.objects.create(assessment=assessment, description=description.strip(), likelihood=likelihood,
                                     impact=impact, measure=measure)
    audit_record(actor=actor, action="stability.risk_point", obj=assessment,
                 payload={"risk_point": point.description[:60], "score": point.score})
    return point


@transaction.atomic
def assessment_conclude(*, actor, assessment_id: int, overall_level: str, measures: str, conclusion: str,
                        conclusion_reason: str, expected_version: int | None = None) -> StabilityAssessment:
    assessment = _lock_draft(assessment_id, actor, expected_version)
    require(overall_level=overall_level, measures=(measures or "").strip(), conclusion=conclusion,
            conclusion_reason=(conclusion_reason or "").strip())
    errors = {}
    if overall_level not in AssessmentLevel.values:
        errors["overall_level"] = [_("请选择综合风险等级。")]
    if conclusion not in StabilityAssessment.Conclusion.values:
        errors["conclusion"] = [_("请选择评估结论。")]
    if overall_level == AssessmentLevel.HIGH and conclusion == StabilityAssessment.Conclusion.GO:
        errors["conclusion"] = [_("高风险事项不能直接给出“可以实施”的结论：请先落实措施降低风险，或暂缓实施。")]
    if errors:
        raise ValidationError(fields=errors)
    before = snapshot(assessment, CONCLUSION_FIELDS)
    assessment.overall_level, assessment.measures = overall_level, measures.strip()
    assessment.conclusion, assessment.conclusion_reason = conclusion, conclusion_reason.strip()
    save_changed(assessment, list(CONCLUSION_FIELDS))
    audit_record(actor=actor, action="stability.conclude", obj=assessment,
                 changes=diff(before, snapshot(assessment, CONCLUSION_FIELDS)))
    return assessment


@transaction.atomic
def assessment_sign(*, actor, assessment_id: int, expected_version: int | None = None) -> StabilityAssessment:
    """The responsible person signs: there must be a consultation, a risk point and a conclusion."""
    assessment = _lock_draft(assessment_id, actor, expected_version)
    ensure_can(actor, "dispute.sign", assessment.place.code)
    errors = {}
    if not assessment.consultations.exists():
        errors["consultations"] = [_("尚未征求群众意见，不能签发。")]
    if not assessment.risk_points.exists():
        errors["risk_points"] = [_("尚未识别风险点，不能签发。")]
    if not assessment.conclusion:
        errors["conclusion"] = [_("尚未给出评估结论，不能签发。")]
    if errors:
        raise ValidationError(fields=errors)
    before = assessment.state
    assessment.state, assessment.signed_by = StabilityAssessment.State.SIGNED, actor
    assessment.signed_at = timezone.now()
    save_changed(assessment, ["state", "signed_by", "signed_at"])
    audit_record(actor=actor, action="stability.sign", obj=assessment,
                 changes={"state": [before, assessment.state]}, payload={"signed_by": str(actor)})
    return assessment
