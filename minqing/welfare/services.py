"""Every write to welfare review: one service per verb of the application's state machine.

Each service: check the permission (ensure_can), lock the row, check the move against TRANSITIONS,
refuse a reviewer who is the applicant's relative (recusal), write, and sign one audit row.
"""
from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import can, ensure_can
from minqing.core.audit import audit_record as core_audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.crypto import encrypt
from minqing.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.core.masking import mask_phone

from . import deadlines, eligibility, notices
from .models import (Application, Appraisal, Disbursement, HomeVerification, Objection, ObjectionOutcome,
                     Programme, ReReview, StaffRelation, Status, TRANSITIONS, Verb)

VERIFICATION_DAYS = 15

def audit_record(*, changes: dict | None = None, **kwargs):
    """core.audit.audit_record with every value as [before, after]: a bare value was set from nothing.
    The audit trail shows each change as "old → new", so a payload is written in that shape too."""
    return core_audit_record(changes={k: v if isinstance(v, list) and len(v) == 2 else [None, v]
                                      for k, v in (changes or {}).items()}, **kwargs)



# --- guards ---------------------------------------------------------------------------------------

def _move(application: Application, verb: str, target: str) -> None:
    """Refuse a move the table does not list; the message names the current state."""
    allowed = TRANSITIONS.get((application.status, verb))
    if not allowed or target not in allowed:
        raise TransitionNotAllowed(_("申请当前为“%(state)s”，不能%(verb)s。") % {
            "state": Status(application.status).label, "verb": Verb(verb).label})


def _ensure_no_conflict(application: Application, verb: str, *people) -> None:
    """Seed 001 严禁有徇私舞弊: nobody acts on their own household's or a declared relative's file."""
    ids = {p.pk for p in people if p is not None and getattr(p, "pk", None)}
    relation = (StaffRelation.objects.filter(household_id=application.household_id, staff_id__in=ids, is_active=True)
                .select_related("staff").first())
    if relation is not None:
        raise PermissionDenied(
            _("%(name)s 已申报与该申请家庭的关系（%(kinship)s），按规定须回避，不能参与%(verb)s。") % {
                "name": relation.staff, "kinship": relation.get_kinship_display(), "verb": Verb(verb).label},
            code="conflict_of_interest")


def _lock(application: Application, expected_version) -> Application:
    return lock_for_change(Application.objects.select_related("programme", "household", "applicant"),
                           pk=application.pk, expected_version=expected_version)


def _change(application: Application, verb: str, before: str, fields: list[str], *, actor, **payload) -> None:
    save_changed(application, fields)
    audit_record(actor=actor, action=f"welfare.application.{verb}", obj=application,
                 changes={"status": [before, application.status], **payload})


# --- programmes -------------------------------------------------------------------------------------

@transaction.atomic
def programme_create(*, actor, place, name: str, kind: str, rules: list[eligibility.RuleSpec] = (),
                     **terms) -> Programme:
    """Programmes are set by those who approve (street level); rules come as plain specs."""
    ensure_can(actor, "welfare.approve", place.code)
    if not (name or "").strip():
        raise ValidationError(fields={"name": [_("请填写项目名称。")]})
    programme = Programme.objects.create(place=place, name=name.strip(), kind=kind, **terms)
    from minqing.residents.models import CareTag

    for spec in rules:
        tag = CareTag.objects.get(code=spec.tag_code) if spec.tag_code else None
        programme.rules.create(kind=spec.kind, value=spec.value, tag=tag)
    audit_record(actor=actor, action="welfare.programme.create", obj=programme,
                 changes={"kind": kind, "rules": "；".join(f"{s.kind} {s.value or s.tag_code}" for s in rules), **terms})
    return programme


# --- staff relatives ---------------------------------------------------------------------------------

@transaction.atomic
def staff_relation_declare(*, actor, staff, household, kinship: str, relative_name: str = "") -> StaffRelation:
    """A staff member declares their own household or a relative's; an approver may record it for them.

    Open applications of that household are flagged to the supervisor at once.
    """
    if actor.pk != staff.pk:
        ensure_can(actor, "welfare.approve", household.place_code)
    elif not may_declare_relation(actor, household.place_code):
        # Only people who take part in reviews declare (and so flag applications): a supervisor or a
        # grid worker reads welfare but reviews nothing (issue 13.8).
        ensure_can(actor, "welfare.view", household.place_code)
        raise PermissionDenied()
    relation, created = StaffRelation.objects.update_or_create(
        staff=staff, household=household,
        defaults={"kinship": kinship, "relative_name": relative_name, "place_code": household.place_code,
                  "is_active": True})
    audit_record(actor=actor, action="welfare.relation.declare", obj=relation,
                 changes={"staff": str(staff), "kinship": kinship, "created": created})
    for application in Application.objects.open().filter(household=household, flagged_relative=False):
        _flag(application, actor=actor)
    return relation


REVIEW_PERMS = ("welfare.change", "welfare.appraise", "welfare.approve")


def may_declare_relation(actor, place_code: str) -> bool:
    return any(can(actor, perm, place_code) for perm in REVIEW_PERMS)


def _flag_note(household) -> str:
    relations = StaffRelation.objects.filter(household=household, is_active=True).select_related("staff")
    return "；".join(f"{r.staff}（{r.get_kinship_display()}）" for r in relations)


def _flag(application: Application, *, actor) -> None:
    application.flagged_relative, application.flag_note = True, _flag_note(application.household)[:300]
    save_changed(application, ["flagged_relative", "flag_note"])
    audit_record(actor=actor, action="welfare.application.flag", obj=application,
                 changes={"flagged_relative": [False, True], "note": application.flag_note})
    notices.notify_supervisors(application)


# --- the application's life ---------------------------------------------------------------------------

@transaction.atomic
def application_submit(*, actor, programme: Programme, household, applicant, reason: str,
                       declared_income: Decimal, received_at: datetime.datetime | None = None) -> Application:
    ensure_can(actor, "welfare.change", household.place_code)
    fields = {}
    if not programme.is_active or not household.place_code.startswith(programme.place.code):
        fields["programme"] = [_("该户不在此救助项目的适用范围内。")]
    if applicant.household_id != household.pk:
        fields["applicant"] = [_("申请人须为该户在住成员。")]
    if not (reason or "").strip():
        fields["reason"] = [_("请填写申请理由。")]
    if declared_income is None or Decimal(declared_income) < 0:
        fields["declared_income"] = [_("请填写家庭月收入（无收入填 0）。")]
    if fields:
        raise ValidationError(fields=fields)
    if Application.objects.open().filter(programme=programme, household=household).exists():
        raise Conflict(_("该户已有一份此项目的申请正在办理，不能重复受理。"), code="duplicate_application")
    received_at = received_at or timezone.now()
    facts = eligibility.household_facts(household, monthly_income=declared_income)
    evaluation = eligibility.evaluate(eligibility.rule_specs(programme), facts)
    relations = _flag_note(household)
    application = Application.objects.create(
        programme=programme, household=household, applicant=applicant, place_code=household.place_code,
        reason=reason.strip(), declared_income=declared_income, household_size=facts.household_size,
        eligibility=evaluation.as_dict(), proposed_amount=_amount(programme, facts), received_at=received_at,
        received_by=actor, verification_due=timezone.localtime(received_at).date()
        + datetime.timedelta(days=VERIFICATION_DAYS), flagged_relative=bool(relations), flag_note=relations[:300])
    audit_record(actor=actor, action="welfare.application.submit", obj=application, changes={
        "status": [None, Status.RECEIVED], "programme": programme.name, "eligible": evaluation.eligible,
        "flagged_relative": application.flagged_relative})
    if application.flagged_relative:
        notices.notify_supervisors(application)
    return application


def _amount(programme: Programme, facts: eligibility.Facts) -> Decimal:
    return eligibility.compute_amount(mode=programme.amount_mode, amount=programme.amount,
                                      threshold=programme.income_threshold, facts=facts)


@transaction.atomic
def application_verify(*, actor, application: Application, visited_on: datetime.date, staff_1, staff_2,
                       findings: str, verified_income: Decimal, recommends: bool, neighbours: str = "",
                       records: str = "", expected_version: int | None = None) -> Application:
    """入户核查 by two staff. A recommendation must agree with the programme's rules."""
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.change", application.place_code)
    programme = application.programme
    target = Status.APPRAISAL if programme.requires_appraisal and recommends else Status.SENT_UP
    _move(application, Verb.VERIFY, target)
    _ensure_no_conflict(application, Verb.VERIFY, actor, staff_1, staff_2)
    _check_verifiers(application, staff_1, staff_2, findings)
    facts = eligibility.household_facts(application.household, monthly_income=verified_income)
    evaluation = eligibility.evaluate(eligibility.rule_specs(programme), facts)
    if recommends and not evaluation.eligible:
        raise ValidationError(_("核实情况不符合该项目条件：%(why)s。请选择“不建议纳入”。") % {
            "why": "；".join(evaluation.failures)}, fields={"recommends": evaluation.failures})
    HomeVerification.objects.create(application=application, visited_on=visited_on, staff_1=staff_1,
                                    staff_2=staff_2, neighbours=neighbours, records=records, findings=findings,
                                    verified_income=verified_income, recommends=recommends)
    before, now = application.status, timezone.now()
    application.status, application.verified_at = target, now
    application.household_size, application.eligibility = facts.household_size, evaluation.as_dict()
    application.proposed_amount = _amount(programme, facts) if recommends else None
    fields = ["status", "verified_at", "household_size", "eligibility", "proposed_amount"]
    if target == Status.SENT_UP:
        fields += _send_up(application, now)
    _change(application, Verb.VERIFY, before, fields, actor=actor, staff=f"{staff_1}、{staff_2}",
            verified_income=verified_income, recommends=recommends, within_limit=now.date() <= application.verification_due)
    return application


def _check_verifiers(application, staff_1, staff_2, findings) -> None:
    fields = {}
    if staff_1 is None or staff_2 is None or staff_1.pk == staff_2.pk:
        fields["staff_2"] = [_("入户核查须由两名工作人员共同进行。")]
    else:
        for name, person in (("staff_1", staff_1), ("staff_2", staff_2)):
            if not can(person, "welfare.change", application.place_code):
                fields[name] = [_("%(name)s 不是本社区负责救助工作的人员。") % {"name": person}]
    if not (findings or "").strip():
        fields["findings"] = [_("请填写核查结论。")]
    if fields:
        raise ValidationError(fields=fields)


def _send_up(application: Application, now: datetime.datetime) -> list[str]:
    application.sent_up_at = now
    if application.send_up_due is None:
        application.send_up_due = deadlines.send_up_due(now)
    return ["sent_up_at", "send_up_due"]


@transaction.atomic
def application_appraise(*, actor, application: Application, held_on: datetime.date, members: int,
                         attendance: int, votes_for: int, votes_against: int, abstentions: int = 0,
                         minutes: str = "", expected_version: int | None = None) -> Application:
    """民主评议. Refused outright below 2/3 attendance; below 2/3 approval the application is not approved."""
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.appraise", application.place_code)
    _ensure_no_conflict(application, Verb.APPRAISE, actor)
    _check_votes(members, attendance, votes_for, votes_against, abstentions)
    passed = eligibility.approval_met(attendance=attendance, votes_for=votes_for)
    programme = application.programme
    target = (Status.NOTICE if programme.requires_notice else Status.SENT_UP) if passed else Status.REJECTED
    _move(application, Verb.APPRAISE, target)
    Appraisal.objects.create(application=application, held_on=held_on, chair=actor, members=members,
                             attendance=attendance, votes_for=votes_for, votes_against=votes_against,
                             abstentions=abstentions, minutes=minutes, passed=passed)
    before, now = application.status, timezone.now()
    application.status = target
    fields = ["status"]
    if target == Status.NOTICE:
        fields += notices.notice_open(application, actor=actor, today=timezone.localdate())
    elif target == Status.SENT_UP:
        fields += _send_up(application, now)
    else:
        application.rejection_reason = _("民主评议未获三分之二以上同意（出席 %(a)s 人，同意 %(f)s 人）。") % {
            "a": attendance, "f": votes_for}
        application.decided_at, application.decided_by = now, actor
        fields += ["rejection_reason", "decided_at", "decided_by"]
    _change(application, Verb.APPRAISE, before, fields, actor=actor, members=members, attendance=attendance,
            votes_for=votes_for, votes_against=votes_against, abstentions=abstentions, passed=passed)
    return application


def _check_votes(members, attendance, votes_for, votes_against, abstentions) -> None:
    if min(members, attendance, votes_for, votes_against, abstentions) < 0 or members == 0:
        raise ValidationError(fields={"members": [_("人数须为正数。")]})
    if attendance > members:
        raise ValidationError(fields={"attendance": [_("实到人数不能多于应到人数。")]})
    if votes_for + votes_against + abstentions != attendance:
        raise ValidationError(fields={"votes_for": [
            _("同意、不同意、弃权合计 %(sum)s 票，应等于实到人数 %(a)s。") % {
                "sum": votes_for + votes_against + abstentions, "a": attendance}]})
    if not eligibility.quorum_met(members=members, attendance=attendance):
        raise ValidationError(
            _("实到 %(a)s 人，未达到应到 %(m)s 人的三分之二，评议无效，请另行召集。") % {"a": attendance, "m": members},
            code="quorum_not_met", fields={"attendance": [_("实到人数须不少于应到人数的三分之二。")]})


@transaction.atomic
def objection_file(*, actor, application: Application, text: str, name: str = "", phone: str = "") -> Objection:
    """An objection taken at the office (staff) or on the board (actor is the public)."""
    application = lock_for_change(Application.objects.select_related("programme"), pk=application.pk)
    if getattr(actor, "pk", None):
        ensure_can(actor, "welfare.change", application.place_code)
    if application.status != Status.NOTICE:
        raise TransitionNotAllowed(_("公示已结束，不能再提出异议。"))
    if not (text or "").strip():
        raise ValidationError(fields={"text": [_("请填写异议内容。")]})
    objection = Objection.objects.create(
        application=application, receipt=_receipt(), text=text.strip(), name=(name or "").strip(),
        phone_cipher=encrypt(phone), phone_masked=mask_phone(phone))
    audit_record(actor=actor or _("公众（居务公开栏）"), action="welfare.objection.file", obj=objection,
                 changes={"application": application.reference, "receipt": objection.receipt})
    notices.notify_objection(objection)
    return objection


def objection_file_public(*, notice, text: str, name: str = "", phone: str = "") -> Objection:
    """The board's objection form lands here (registered in WelfareConfig.ready)."""
    application = Application.objects.filter(notice=notice).first()
    if application is None:
        raise NotFound()
    return objection_file(actor=None, application=application, text=text, name=name, phone=phone)


def _receipt() -> str:
    return "YY" + secrets.token_hex(4).upper()


@transaction.atomic
def objection_answer(*, actor, objection: Objection, answer: str, outcome: str,
                     expected_version: int | None = None) -> Objection:
    """Answer after re-investigation. An upheld objection sends the file back to home verification."""
    objection = lock_for_change(Objection.objects.all(), pk=objection.pk, expected_version=expected_version)
    application = _lock(objection.application, None)
    ensure_can(actor, "welfare.change", application.place_code)
    target = Status.RECEIVED if outcome == ObjectionOutcome.UPHELD else Status.NOTICE
    _move(application, Verb.ANSWER_OBJECTION, target)
    _ensure_no_conflict(application, Verb.ANSWER_OBJECTION, actor)
    if objection.is_answered:
        raise TransitionNotAllowed(_("该异议已答复。"))
    if not (answer or "").strip() or outcome not in ObjectionOutcome.values:
        raise ValidationError(fields={"answer": [_("请填写调查答复并选择结论。")]})
    objection.answer, objection.outcome = answer.strip(), outcome
    objection.answered_at, objection.answered_by = timezone.now(), actor
    save_changed(objection, ["answer", "outcome", "answered_at", "answered_by"])
    audit_record(actor=actor, action="welfare.objection.answer", obj=objection, changes={"outcome": outcome})
    if target == Status.RECEIVED:
        before = application.status
        fields = notices.notice_withdraw(application, actor=actor, reason=_("经核实异议成立，重新入户核查。"))
        application.status = Status.RECEIVED
        application.verification_due = timezone.localdate() + datetime.timedelta(days=VERIFICATION_DAYS)
        _change(application, Verb.ANSWER_OBJECTION, before, ["status", "verification_due", *fields], actor=actor,
                objection=objection.receipt)
    return objection


@transaction.atomic
def application_close_notice(*, actor, application: Application, expected_version: int | None = None) -> Application:
    """End the public notice and send the file up. Every objection must have been answered first."""
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.CLOSE_NOTICE, Status.SENT_UP)
    _ensure_no_conflict(application, Verb.CLOSE_NOTICE, actor)
    open_count = application.objections.filter(answered_at__isnull=True).count()
    if open_count:
        raise TransitionNotAllowed(_("还有 %(n)s 条异议未答复，答复后才能结束公示。") % {"n": open_count},
                                   code="objections_unanswered")
    today = timezone.localdate()
    if application.notice_end is not None and today <= application.notice_end:
        raise TransitionNotAllowed(_("公示期至 %(d)s，期满后才能结束公示。") % {"d": application.notice_end},
                                   code="notice_period_running")
    before, now = application.status, timezone.now()
    application.status = Status.SENT_UP
    fields = ["status", *_send_up(application, now), *notices.notice_close(application, actor=actor)]
    _change(application, Verb.CLOSE_NOTICE, before, fields, actor=actor,
            objections=application.objections.count(), within_limit=now <= application.send_up_due)
    return application


@transaction.atomic
def application_approve(*, actor, application: Application, amount: Decimal | None = None,
                        entitlement_start: datetime.date | None = None,
                        expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.approve", application.place_code)
    _move(application, Verb.APPROVE, Status.APPROVED)
    _ensure_no_conflict(application, Verb.APPROVE, actor)
    latest = application.verifications.order_by("-visited_on", "-id").first()
    if latest is None or not latest.recommends or not application.eligibility.get("eligible"):
        raise TransitionNotAllowed(_("入户核查未建议纳入或不符合条件，只能不予批准。"), code="not_recommended")
    amount = application.proposed_amount if amount is None else Decimal(amount)
    if amount is None or amount <= 0:
        raise ValidationError(fields={"amount": [_("请填写核定金额。")]})
    before, now = application.status, timezone.now()
    start = entitlement_start or timezone.localdate()
    application.status, application.approved_amount = Status.APPROVED, amount
    application.decided_at, application.decided_by, application.entitlement_start = now, actor, start
    application.entitlement_end = deadlines.add_months(start, application.programme.period_months)
    application.next_review_due = deadlines.add_months(start, application.programme.review_interval_months)
    _change(application, Verb.APPROVE, before, ["status", "approved_amount", "decided_at", "decided_by",
                                                "entitlement_start", "entitlement_end", "next_review_due"],
            actor=actor, amount=amount)
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str,
                       expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.approve", application.place_code)
    _move(application, Verb.REJECT, Status.REJECTED)
    _ensure_no_conflict(application, Verb.REJECT, actor)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("不予批准须说明理由，理由将告知申请人。")]})
    before = application.status
    application.status, application.rejection_reason = Status.REJECTED, reason.strip()
    application.decided_at, application.decided_by = timezone.now(), actor
    _change(application, Verb.REJECT, before, ["status", "rejection_reason", "decided_at", "decided_by"],
            actor=actor, reason=application.rejection_reason)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str,
                         expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.WITHDRAW, Status.WITHDRAWN)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写撤回原因。")]})
    before, fields = application.status, ["status"]
    if before == Status.NOTICE:
        fields += notices.notice_withdraw(application, actor=actor, reason=_("申请人撤回申请。"))
    application.status = Status.WITHDRAWN
    _change(application, Verb.WITHDRAW, before, fields, actor=actor, reason=reason.strip())
    return application


@transaction.atomic
def disbursement_record(*, actor, application: Application, period: datetime.date, amount: Decimal,
                        paid_on: datetime.date, method: str = Disbursement.Method.BANK) -> Disbursement:
    application = _lock(application, None)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.DISBURSE, Status.APPROVED)
    period = period.replace(day=1)
    fields = {}
    if amount is None or Decimal(amount) <= 0:
        fields["amount"] = [_("发放金额须大于 0。")]
    if application.entitlement_start and period < application.entitlement_start.replace(day=1):
        fields["period"] = [_("所属月份早于享受起始月。")]
    if application.entitlement_end and period > application.entitlement_end:
        fields["period"] = [_("所属月份晚于享受截止日。")]
    if fields:
        raise ValidationError(fields=fields)
    try:
        with transaction.atomic():
            payment = Disbursement.objects.create(application=application, period=period, amount=amount,
                                                  paid_on=paid_on, method=method, recorded_by=actor)
    except IntegrityError as exc:
        raise ValidationError(fields={"period": [_("该月已登记过发放。")]}) from exc
    audit_record(actor=actor, action="welfare.disbursement.record", obj=payment,
                 changes={"application": application.reference, "period": period, "amount": amount})
    return payment


@transaction.atomic
def application_rereview(*, actor, application: Application, reviewed_on: datetime.date, verified_income: Decimal,
                         findings: str, outcome: str, new_amount: Decimal | None = None,
                         expected_version: int | None = None) -> ReReview:
    """Periodic 复核: the household's facts again; continuing or adjusting must still meet the rules."""
    application = _lock(application, expected_version)
    # Continuing is the community's finding; adjusting or stopping an entitlement is an approver's decision.
    ensure_can(actor, "welfare.change" if outcome == ReReview.Outcome.CONTINUE else "welfare.approve",
               application.place_code)
    target = Status.STOPPED if outcome == ReReview.Outcome.STOP else Status.APPROVED
    _move(application, Verb.REREVIEW, target)
    _ensure_no_conflict(application, Verb.REREVIEW, actor)
    facts = eligibility.household_facts(application.household, monthly_income=verified_income)
    evaluation = eligibility.evaluate(eligibility.rule_specs(application.programme), facts)
    if target == Status.APPROVED and not evaluation.eligible:
        raise ValidationError(_("复核情况已不符合条件：%(why)s。请选择“停止享受”。") % {
            "why": "；".join(evaluation.failures)}, fields={"outcome": evaluation.failures})
    if outcome == ReReview.Outcome.ADJUST and (new_amount is None or Decimal(new_amount) <= 0):
        raise ValidationError(fields={"new_amount": [_("调整金额须大于 0。")]})
    review = ReReview.objects.create(application=application, reviewed_on=reviewed_on, reviewer=actor,
                                     verified_income=verified_income, household_size=facts.household_size,
                                     findings=findings, outcome=outcome, new_amount=new_amount)
    before = application.status
    application.status, application.eligibility = target, evaluation.as_dict()
    application.next_review_due = (None if target == Status.STOPPED else
                                   deadlines.add_months(reviewed_on, application.programme.review_interval_months))
    fields = ["status", "eligibility", "next_review_due"]
    if outcome == ReReview.Outcome.ADJUST:
        application.approved_amount = Decimal(new_amount)
        fields.append("approved_amount")
    _change(application, Verb.REREVIEW, before, fields, actor=actor, outcome=outcome, new_amount=new_amount)
    return review
