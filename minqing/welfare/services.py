"""Every write to welfare review: one service per verb of the application's state machine.

Each service: check the permission (ensure_can), lock the row, check the move against the APPLICATION
table, refuse a reviewer who is the applicant's relative (recusal), then move it with
core.transitions.transition (saves the changed fields, one audit row).
"""
from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import can, ensure_can
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.crypto import encrypt
from minqing.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationError
from minqing.core.masking import mask_phone
from minqing.core.transitions import transition

from . import deadlines, eligibility, notices
from .models import OPEN_STATES
from .models import (Application, Appraisal, Disbursement, HomeVerification, Objection, ObjectionOutcome,
                     Programme, ReReview, StaffRelation, Status, APPLICATION, Verb)

VERIFICATION_DAYS = 15


# --- guards ---------------------------------------------------------------------------------------

def _move(application: Application, verb: str) -> None:
    """Refuse a move the table does not list; the message names the current state."""
    APPLICATION.check(application, verb)


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


def _change(application: Application, verb: str, changes: dict, *, actor, **payload) -> None:
    transition(application, table=APPLICATION, verb=verb, actor=actor, changes=changes, payload=payload)


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
    for application in _declaration_flags(household):
        _flag(application, actor=actor)
    return relation


def _declaration_flags(household):
    """The household's applications a new declaration concerns: those in progress, and approved ones still
    being paid (disbursements, re-reviews and stops are still to come)."""
    return Application.objects.filter(Q(status__in=OPEN_STATES) | Q(status=Status.APPROVED),
                                      household=household, flagged_relative=False)


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
    verb = Verb.VERIFY if programme.requires_appraisal and recommends else Verb.VERIFY_SEND_UP
    _move(application, verb)
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
    now = timezone.now()
    changes = {"verified_at": now, "household_size": facts.household_size, "eligibility": evaluation.as_dict(),
               "proposed_amount": _amount(programme, facts) if recommends else None}
    if verb == Verb.VERIFY_SEND_UP:
        changes.update(_send_up(application, now))
    _change(application, verb, changes, actor=actor, staff=f"{staff_1}、{staff_2}",
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


def _send_up(application: Application, now: datetime.datetime) -> dict:
    return {"sent_up_at": now, "send_up_due": application.send_up_due or deadlines.send_up_due(now)}


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
    verb = (Verb.APPRAISE if programme.requires_notice else Verb.APPRAISE_SEND_UP) if passed else Verb.APPRAISE_FAIL
    _move(application, verb)
    Appraisal.objects.create(application=application, held_on=held_on, chair=actor, members=members,
                             attendance=attendance, votes_for=votes_for, votes_against=votes_against,
                             abstentions=abstentions, minutes=minutes, passed=passed)
    now = timezone.now()
    if verb == Verb.APPRAISE:
        changes = notices.notice_open(application, actor=actor, today=timezone.localdate())
    elif verb == Verb.APPRAISE_SEND_UP:
        changes = _send_up(application, now)
    else:
        changes = {"rejection_reason": _("民主评议未获三分之二以上同意（出席 %(a)s 人，同意 %(f)s 人）。") % {
            "a": attendance, "f": votes_for}, "decided_at": now, "decided_by": actor}
    _change(application, verb, changes, actor=actor, members=members, attendance=attendance,
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
    verb = Verb.ANSWER_OBJECTION if outcome == ObjectionOutcome.UPHELD else Verb.DISMISS_OBJECTION
    _move(application, verb)
    _ensure_no_conflict(application, Verb.ANSWER_OBJECTION, actor)
    if objection.is_answered:
        raise TransitionNotAllowed(_("该异议已答复。"))
    if not (answer or "").strip() or outcome not in ObjectionOutcome.values:
        raise ValidationError(fields={"answer": [_("请填写调查答复并选择结论。")]})
    objection.answer, objection.outcome = answer.strip(), outcome
    objection.answered_at, objection.answered_by = timezone.now(), actor
    save_changed(objection, ["answer", "outcome", "answered_at", "answered_by"])
    audit_record(actor=actor, action="welfare.objection.answer", obj=objection, changes={"outcome": outcome})
    if verb == Verb.ANSWER_OBJECTION:  # upheld: back to home verification; a dismissed one changes nothing
        notices.notice_withdraw(application, actor=actor, reason=_("经核实异议成立，重新入户核查。"))
        _change(application, verb, {
            "verification_due": timezone.localdate() + datetime.timedelta(days=VERIFICATION_DAYS)},
            actor=actor, objection=objection.receipt)
    return objection


@transaction.atomic
def application_close_notice(*, actor, application: Application, expected_version: int | None = None) -> Application:
    """End the public notice and send the file up. Every objection must have been answered first."""
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.CLOSE_NOTICE)
    _ensure_no_conflict(application, Verb.CLOSE_NOTICE, actor)
    open_count = application.objections.filter(answered_at__isnull=True).count()
    if open_count:
        raise TransitionNotAllowed(_("还有 %(n)s 条异议未答复，答复后才能结束公示。") % {"n": open_count},
                                   code="objections_unanswered")
    today = timezone.localdate()
    if application.notice_end is not None and today <= application.notice_end:
        raise TransitionNotAllowed(_("公示期至 %(d)s，期满后才能结束公示。") % {"d": application.notice_end},
                                   code="notice_period_running")
    now = timezone.now()
    notices.notice_close(application, actor=actor)
    changes = _send_up(application, now)
    _change(application, Verb.CLOSE_NOTICE, changes, actor=actor,
            objections=application.objections.count(), within_limit=now <= changes["send_up_due"])
    return application


@transaction.atomic
def application_approve(*, actor, application: Application, amount: Decimal | None = None,
                        entitlement_start: datetime.date | None = None,
                        expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.approve", application.place_code)
    _move(application, Verb.APPROVE)
    _ensure_no_conflict(application, Verb.APPROVE, actor)
    latest = application.verifications.order_by("-visited_on", "-id").first()
    if latest is None or not latest.recommends or not application.eligibility.get("eligible"):
        raise TransitionNotAllowed(_("入户核查未建议纳入或不符合条件，只能不予批准。"), code="not_recommended")
    amount = application.proposed_amount if amount is None else Decimal(amount)
    if amount is None or amount <= 0:
        raise ValidationError(fields={"amount": [_("请填写核定金额。")]})
    start = entitlement_start or timezone.localdate()
    _change(application, Verb.APPROVE, {
        "approved_amount": amount, "decided_at": timezone.now(), "decided_by": actor, "entitlement_start": start,
        "entitlement_end": deadlines.add_months(start, application.programme.period_months),
        "next_review_due": deadlines.add_months(start, application.programme.review_interval_months),
    }, actor=actor, amount=amount)
    return application


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str,
                       expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.approve", application.place_code)
    _move(application, Verb.REJECT)
    _ensure_no_conflict(application, Verb.REJECT, actor)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("不予批准须说明理由，理由将告知申请人。")]})
    _change(application, Verb.REJECT, {"rejection_reason": reason.strip(), "decided_at": timezone.now(),
                                       "decided_by": actor}, actor=actor, reason=reason.strip())
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str,
                         expected_version: int | None = None) -> Application:
    application = _lock(application, expected_version)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.WITHDRAW)
    _ensure_no_conflict(application, Verb.WITHDRAW, actor)
    if not (reason or "").strip():
        raise ValidationError(fields={"reason": [_("请填写撤回原因。")]})
    if application.status == Status.NOTICE:
        notices.notice_withdraw(application, actor=actor, reason=_("申请人撤回申请。"))
    _change(application, Verb.WITHDRAW, {}, actor=actor, reason=reason.strip())
    return application


@transaction.atomic
def disbursement_record(*, actor, application: Application, period: datetime.date, amount: Decimal,
                        paid_on: datetime.date, method: str = Disbursement.Method.BANK) -> Disbursement:
    application = _lock(application, None)
    ensure_can(actor, "welfare.change", application.place_code)
    _move(application, Verb.DISBURSE)
    _ensure_no_conflict(application, Verb.DISBURSE, actor)
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
    verb = Verb.REREVIEW_STOP if outcome == ReReview.Outcome.STOP else Verb.REREVIEW
    _move(application, verb)
    _ensure_no_conflict(application, Verb.REREVIEW, actor)
    facts = eligibility.household_facts(application.household, monthly_income=verified_income)
    evaluation = eligibility.evaluate(eligibility.rule_specs(application.programme), facts)
    if verb == Verb.REREVIEW and not evaluation.eligible:
        raise ValidationError(_("复核情况已不符合条件：%(why)s。请选择“停止享受”。") % {
            "why": "；".join(evaluation.failures)}, fields={"outcome": evaluation.failures})
    if outcome == ReReview.Outcome.ADJUST and (new_amount is None or Decimal(new_amount) <= 0):
        raise ValidationError(fields={"new_amount": [_("调整金额须大于 0。")]})
    review = ReReview.objects.create(application=application, reviewed_on=reviewed_on, reviewer=actor,
                                     verified_income=verified_income, household_size=facts.household_size,
                                     findings=findings, outcome=outcome, new_amount=new_amount)
    changes = {"eligibility": evaluation.as_dict(), "next_review_due": (
        None if verb == Verb.REREVIEW_STOP else
        deadlines.add_months(reviewed_on, application.programme.review_interval_months))}
    if outcome == ReReview.Outcome.ADJUST:
        changes["approved_amount"] = Decimal(new_amount)
    _change(application, verb, changes, actor=actor, outcome=outcome, new_amount=new_amount)
    return review
