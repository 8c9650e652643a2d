"""Every write of the assessment app: schemes and their indicators, the street's scores, computing
(and explicitly re-computing) the scores, 四无 checks, civility nominations and leaders' studies.

Each write checks scope with the policy, runs in one transaction and leaves one audit row
(core.transitions for state moves, core.changes for the rest).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.changes import object_create, object_update
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import TransitionNotAllowed, ValidationError
from minqing.core.transitions import transition
from minqing.disclosure.models import NoticeKind
from minqing.disclosure.services import notice_publish_on_behalf
from minqing.places.models import Place, PlaceKind

from . import indicators
from .models import (NOMINATION, SCHEME, AwardKind, CivilityCheck, Indicator, Nomination, NominationStatus,
                     NominationVerb,
                     PeriodKind, Scheme, SchemeStatus, SchemeVerb, Score, Study, Subject, TopDownScore)
from .scoring import compute_scores, totals_of

TOTAL_WEIGHT = 100


@dataclass(frozen=True)
class WeightedIndicator:
    code: str
    weight: int


# --- schemes ------------------------------------------------------------------------------------------

def _check_period(kind: str, start: datetime.date, end: datetime.date) -> None:
    if kind not in PeriodKind.values:
        raise ValidationError(fields={"period_kind": [_("请选择考核周期。")]})
    if end < start:
        raise ValidationError(fields={"period_end": [_("结束日期不能早于开始日期。")]})


def _check_weights(lines: list[WeightedIndicator], subject: str) -> None:
    known = {code for code, _label in indicators.choices(subject)}
    errors = []
    codes = [line.code for line in lines]
    if not lines:
        errors.append(_("至少需要一项指标。"))
    if len(set(codes)) != len(codes):
        errors.append(_("同一指标不能重复。"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.append(_("未知或不适用于该考核对象的指标：%(codes)s。") % {"codes": "、".join(unknown)})
    if any(line.weight <= 0 for line in lines):
        errors.append(_("每项指标的权重必须大于 0。"))
    total = sum(line.weight for line in lines)
    if total != TOTAL_WEIGHT:
        errors.append(_("权重合计须为 100，当前为 %(total)d。") % {"total": total})
    if errors:
        raise ValidationError(fields={"indicators": errors})


@transaction.atomic
def scheme_create(*, actor, street: Place, name: str, subject: str, period_kind: str, period_start: datetime.date,
                  period_end: datetime.date, lines: list[WeightedIndicator]) -> Scheme:
    """A scheme is the street's (seed 002: 上评下 + 民评官 in one set of weights)."""
    ensure_can(actor, "assessment.change", street.code)
    if street.kind != PlaceKind.STREET:
        raise ValidationError(fields={"street": [_("考核方案由街道制定。")]})
    if not (name or "").strip():
        raise ValidationError(fields={"name": [_("此项为必填项。")]})
    if subject not in Subject.values:
        raise ValidationError(fields={"subject": [_("请选择考核对象。")]})
    _check_period(period_kind, period_start, period_end)
    _check_weights(lines, subject)
    scheme = object_create(Scheme(name=name.strip(), street=street, subject=subject, period_kind=period_kind,
                                  period_start=period_start, period_end=period_end, created_by=actor),
                           actor=actor, action="assessment.scheme.create",
                           fields=("name", "subject", "period_kind", "period_start", "period_end"),
                           payload={"indicators": {line.code: line.weight for line in lines}})
    Indicator.objects.bulk_create([Indicator(scheme=scheme, code=line.code, weight=line.weight, position=i)
                                   for i, line in enumerate(lines)])
    return scheme


@transaction.atomic
def scheme_set_indicators(*, actor, scheme: Scheme, lines: list[WeightedIndicator],
                          expected_version: int | None = None) -> Scheme:
    """Weights change only while the scheme is a draft: once published, communities work to them."""
    scheme = lock_for_change(Scheme.objects.select_related("street"), pk=scheme.pk, expected_version=expected_version)
    ensure_can(actor, "assessment.change", scheme.street.code)
    if scheme.status != SchemeStatus.DRAFT:
        raise TransitionNotAllowed(_("方案已发布，指标和权重不能再修改。"))
    _check_weights(lines, scheme.subject)
    before = {i.code: i.weight for i in scheme.indicators.all()}
    scheme.indicators.all().delete()
    Indicator.objects.bulk_create([Indicator(scheme=scheme, code=line.code, weight=line.weight, position=i)
                                   for i, line in enumerate(lines)])
    object_update(scheme, actor=actor, action="assessment.scheme.indicators", changes={},
                  payload={"indicators": [before, {line.code: line.weight for line in lines}]})
    return scheme


def _locked(scheme: Scheme, expected_version) -> Scheme:
    return lock_for_change(Scheme.objects.select_related("street"), pk=scheme.pk, expected_version=expected_version)


@transaction.atomic
def scheme_publish(*, actor, scheme: Scheme, expected_version: int | None = None) -> Scheme:
    scheme = _locked(scheme, expected_version)
    ensure_can(actor, "assessment.change", scheme.street.code)
    _check_weights([WeightedIndicator(i.code, i.weight) for i in scheme.indicators.all()], scheme.subject)
    transition(scheme, table=SCHEME, verb=SchemeVerb.PUBLISH, actor=actor)
    return scheme


@transaction.atomic
def scheme_close(*, actor, scheme: Scheme, expected_version: int | None = None) -> Scheme:
    """Closing computes the final scores once more and freezes them."""
    scheme = _locked(scheme, expected_version)
    ensure_can(actor, "assessment.change", scheme.street.code)
    SCHEME.check(scheme, SchemeVerb.CLOSE)
    totals = _replace_scores(actor, scheme)
    transition(scheme, table=SCHEME, verb=SchemeVerb.CLOSE, actor=actor, changes={"computed_at": timezone.now()},
               payload={"totals": totals})
    return scheme


@transaction.atomic
def scheme_compute(*, actor, scheme: Scheme) -> Scheme:
    """Recompute the scores of an open scheme from the live records (also run nightly by the scheduler)."""
    scheme = _locked(scheme, None)
    ensure_can(actor, "assessment.change", scheme.street.code)
    if scheme.status == SchemeStatus.CLOSED:
        raise TransitionNotAllowed(_("考核期已结束，得分已锁定；如需重算，请使用“重新计算”并说明原因。"))
    before = totals_of(scheme)
    totals = _replace_scores(actor, scheme)
    object_update(scheme, actor=actor, action="assessment.scheme.compute", changes={"computed_at": timezone.now()},
                  payload={"totals": [before, totals]})
    return scheme


@transaction.atomic
def scheme_recompute(*, actor, scheme: Scheme, reason: str, expected_version: int | None = None) -> Scheme:
    """A closed period is recomputed only on purpose, with a reason, and the audit row keeps old and new totals."""
    scheme = _locked(scheme, expected_version)
    ensure_can(actor, "assessment.change", scheme.street.code)
    if scheme.status != SchemeStatus.CLOSED:
        raise TransitionNotAllowed(_("只有已结束的考核需要“重新计算”；考核中的方案直接计算即可。"))
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("重新计算已结束的考核必须说明原因。")]})
    before = totals_of(scheme)
    totals = _replace_scores(actor, scheme)
    object_update(scheme, actor=actor, action="assessment.scheme.recompute", changes={"computed_at": timezone.now()},
                  payload={"reason": reason.strip(), "totals": [before, totals]})
    return scheme


def _replace_scores(actor, scheme: Scheme) -> dict[str, float | None]:
    # The demand rates read the dashboard's rollups: bring the marked days up to date first, so a
    # computation never uses figures older than the records (the job does the same every few minutes).
    from minqing.dashboard.rollups import rollups_refresh

    rollups_refresh(timezone.now())
    rows = compute_scores(actor=actor, scheme=scheme)
    Score.objects.filter(scheme=scheme).delete()
    Score.objects.bulk_create(rows)
    return totals_of(scheme)


# --- 上评下 -----------------------------------------------------------------------------------------------

def _score_value(raw) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValidationError(fields={"score": [_("请输入 0–100 之间的分数。")]}) from None
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(fields={"score": [_("请输入 0–100 之间的分数。")]})
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def top_down_enter(*, actor, scheme: Scheme, score, note: str = "", place: Place | None = None,
                   user=None) -> TopDownScore:
    scheme = _locked(scheme, None)
    ensure_can(actor, "assessment.change", scheme.street.code)
    if scheme.status == SchemeStatus.CLOSED:
        raise TransitionNotAllowed(_("考核期已结束，不能再录入评分。"))
    if not scheme.indicators.filter(code="top_down").exists():
        raise ValidationError(fields={"score": [_("本方案没有“上评下”指标。")]})
    if scheme.subject == Subject.COMMUNITY and (place is None or not place.code.startswith(scheme.street.code)
                                                or place.kind != PlaceKind.COMMUNITY):
        raise ValidationError(fields={"place": [_("请选择本街道的社区。")]})
    if scheme.subject == Subject.STAFF and user is None:
        raise ValidationError(fields={"user": [_("请选择工作人员。")]})
    value = _score_value(score)
    subject = ({"place": place, "user": None} if scheme.subject == Subject.COMMUNITY
               else {"place": None, "user": user})
    existing = TopDownScore.objects.filter(scheme=scheme, **subject).first()
    if existing:
        object_update(existing, actor=actor, action="assessment.top_down.change",
                      changes={"score": value, "note": note.strip()})
        return existing
    return object_create(TopDownScore(scheme=scheme, **subject, score=value, note=note.strip(), entered_by=actor),
                         actor=actor, action="assessment.top_down.enter", fields=("place", "user", "score", "note"))


# --- 四无 checks and civility awards -------------------------------------------------------------------

@transaction.atomic
def civility_check_file(*, actor, building: Place, year: int, quarter: int, no_mess: bool, no_vice: bool,
                        no_theft_fire: bool, no_quarrels: bool, checked_on: datetime.date,
                        note: str = "") -> CivilityCheck:
    ensure_can(actor, "assessment.check", building.code)
    errors = {}
    if building.kind != PlaceKind.BUILDING:
        errors["building"] = [_("四无检查以楼栋为单位。")]
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = [_("季度须为 1–4。")]
    if checked_on > timezone.localdate():
        errors["checked_on"] = [_("检查日期不能晚于今天。")]
    elif quarter in (1, 2, 3, 4) and datetime.date(year, 3 * quarter - 2, 1) > checked_on:
        errors["checked_on"] = [_("检查日期不能早于所查季度。")]
    failed = not all((no_mess, no_vice, no_theft_fire, no_quarrels))
    if failed and not (note or "").strip():
        errors["note"] = [_("未达标的楼栋须写明情况。")]
    if CivilityCheck.objects.filter(building=building, year=year, quarter=quarter).exists():
        errors["quarter"] = [_("该楼栋本季度已检查过。")]
    if errors:
        raise ValidationError(fields=errors)
    return object_create(CivilityCheck(building=building, year=year, quarter=quarter, no_mess=no_mess,
                                       no_vice=no_vice, no_theft_fire=no_theft_fire, no_quarrels=no_quarrels,
                                       checked_on=checked_on, note=(note or "").strip(), checked_by=actor),
                         actor=actor, action="assessment.check.file")


@transaction.atomic
def nomination_create(*, actor, check: CivilityCheck, kind: str, reason: str, household=None,
                      resident=None) -> Nomination:
    """Seed 003: only a quarter that reached the 四无 goal leads to 文明楼栋/家庭/居民 nominations."""
    ensure_can(actor, "assessment.check", check.building.code)
    errors = {}
    if not check.passed:
        errors["check"] = [_("该楼栋本季度未达到“四无”，不能推荐。")]
    if kind == AwardKind.FAMILY and (household is None or household.building_id != check.building_id):
        errors["household"] = [_("请选择该楼栋的家庭。")]
    if kind == AwardKind.RESIDENT and (resident is None or resident.household is None
                                       or resident.household.building_id != check.building_id):
        errors["resident"] = [_("请选择该楼栋的居民。")]
    if kind not in AwardKind.values:
        errors["kind"] = [_("请选择评比类别。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请写明推荐理由。")]
    duplicate = Nomination.objects.filter(civility_check=check, kind=kind, household=household if kind == AwardKind.FAMILY else None,
                                          resident=resident if kind == AwardKind.RESIDENT else None)
    if not errors and duplicate.exists():
        errors["kind"] = [_("本季度已推荐过。")]
    if errors:
        raise ValidationError(fields=errors)
    return object_create(Nomination(civility_check=check, kind=kind, reason=reason.strip(), nominated_by=actor,
                                    household=household if kind == AwardKind.FAMILY else None,
                                    resident=resident if kind == AwardKind.RESIDENT else None),
                         actor=actor, action="assessment.nomination.create", fields=("kind", "reason"))


def _locked_nomination(nomination: Nomination, expected_version) -> Nomination:
    # only the non-null joins: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join
    return lock_for_change(Nomination.objects.select_related("civility_check__building"),
                           pk=nomination.pk, expected_version=expected_version)


@transaction.atomic
def nomination_decide(*, actor, nomination: Nomination, approve: bool, note: str = "",
                      expected_version: int | None = None) -> Nomination:
    nomination = _locked_nomination(nomination, expected_version)
    ensure_can(actor, "assessment.approve", nomination.civility_check.building.code)
    if not approve and not (note or "").strip():
        raise ValidationError(fields={"note": [_("不批准须写明理由。")]})
    transition(nomination, table=NOMINATION, verb=NominationVerb.APPROVE if approve else NominationVerb.REJECT,
               actor=actor, changes={"decision_note": (note or "").strip()})
    return nomination


@transaction.atomic
def nominations_publish(*, actor, community: Place, year: int, quarter: int) -> list[Nomination]:
    """Publish a quarter's approved awards of one community on the public board, as one notice."""
    ensure_can(actor, "assessment.approve", community.code)
    approved = list(Nomination.objects.filter(civility_check__building__code__startswith=community.code, civility_check__year=year,
                                              civility_check__quarter=quarter, status=NominationStatus.APPROVED)
                    .select_related("civility_check__building", "resident", "household__building").order_by("kind", "id"))
    if not approved:
        raise ValidationError(fields={"quarter": [_("本季度没有已批准、待公示的评比。")]})
    lines = [f"{n.get_kind_display()}：{n.public_name}（{n.reason}）" for n in approved]
    notice = notice_publish_on_behalf(
        actor=actor, community=community, kind=NoticeKind.NOTICE,
        title=_("%(y)d年第%(q)d季度“四无”文明评比结果") % {"y": year, "q": quarter},
        body=_("经楼栋“四无”检查、网格推荐、社区审批，以下楼栋、家庭和居民获评：") + "\n" + "\n".join(lines))
    for nomination in approved:
        transition(nomination, table=NOMINATION, verb=NominationVerb.PUBLISH, actor=actor,
                   changes={"notice": notice})
    return approved


# --- 五个一: 专题调研 -----------------------------------------------------------------------------------

@transaction.atomic
def study_record(*, actor, place: Place, title: str, done_on: datetime.date, findings: str) -> Study:
    ensure_can(actor, "assessment.change", place.code)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("此项为必填项。")]
    if not (findings or "").strip():
        errors["findings"] = [_("请写明调研结论。")]
    if done_on > timezone.localdate():
        errors["done_on"] = [_("日期不能晚于今天。")]
    if errors:
        raise ValidationError(fields=errors)
    return object_create(Study(leader=actor, place=place, title=title.strip(), done_on=done_on,
                               findings=findings.strip()), actor=actor, action="assessment.study.record",
                         fields=("title", "done_on"))
