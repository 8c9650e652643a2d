"""Every write to a demand: one service per verb of the APPEAL transition table (models.py).

Each transition: lock the row (and compare the version the form showed → Conflict), check the actor's
right at the demand's place (partner units: only what was sent to them), check the move in the table
(→ TransitionNotAllowed with a clear message), then `move()` → core.transitions.transition: save the
changed fields, one audit row, and the hooks (the timeline event, the dashboard mark); notices on commit.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.models import PartnerUnit
from minqing.accounts.policy import can
from minqing.core import clock
from minqing.core.errors import NotFound, TransitionNotAllowed, ValidationError
from minqing.workdays.calendar import add_working_days

from . import notices
from .conf import follow_up_days, reopen_window_days
from .events import SYSTEM
from .models import APPEAL, HANDLER_PERM, LEADER_PERM, Appeal, FollowUpBy, Outcome, Satisfaction, Status
from .taxonomy_services import service_level_for
from .moves import VERB_PERMS, _required, appeal_ensure, lock_appeal, move, on_commit  # noqa: F401
from .tokens import token_matches

# The machinery every verb shares lives in moves.py (so linking and supervision need not import this
# module, which re-exports them at the end).
# --- accept / reject ------------------------------------------------------------------------------

@transaction.atomic
def appeal_accept(*, actor, appeal_id: int, expected_version: int | None = None, category=None,
                  urgency: str | None = None, note: str = "") -> Appeal:
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["accept"], appeal)
    APPEAL.check(appeal, "accept")
    now = clock.now()
    changes = {"accepted_at": now, "first_response_at": appeal.first_response_at or now}
    if category is not None:
        changes["category"] = category
    if urgency:
        changes["urgency"] = urgency
    move(appeal, "accept", actor=actor, changes=changes, note=note)
    on_commit(notices.notify_resident, appeal, event="accept", text=_("已受理，我们将尽快办理。"))
    return appeal


@transaction.atomic
def appeal_reject(*, actor, appeal_id: int, expected_version: int | None = None, reason: str,
                  referral: str = "") -> Appeal:
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["reject"], appeal)
    APPEAL.check(appeal, "reject")
    _required(reason=reason)
    now = clock.now()
    move(appeal, "reject", actor=actor, note=reason, changes={
        "reject_reason": reason.strip(), "referral": referral.strip(),
        "first_response_at": appeal.first_response_at or now, "closed_at": now})
    text = _("不予受理：%(r)s") % {"r": reason[:60]}
    if referral:
        text += _("；建议向 %(ref)s 反映") % {"ref": referral[:40]}
    on_commit(notices.notify_resident, appeal, event="reject", text=text)
    return appeal


# --- dispatch / start / return --------------------------------------------------------------------

def _check_dispatch(appeal: Appeal, *, leader, handler_user, handler_unit, deadline, now) -> None:
    errors = {}
    if leader is None or not can(leader, LEADER_PERM, appeal.place_code):
        errors["leader"] = [_("请选择负责该地点的责任领导。")]
    if (handler_user is None) == (handler_unit is None):
        errors["handler_user"] = [_("请指定一名承办人或一个协办单位（二选一）。")]
    elif handler_user is not None and not can(handler_user, HANDLER_PERM, appeal.place_code):
        errors["handler_user"] = [_("该承办人无权办理此地点的诉求。")]
    elif handler_unit is not None and not handler_unit.is_active:
        errors["handler_unit"] = [_("该协办单位已停用。")]
    if deadline is not None and deadline <= now:
        errors["deadline"] = [_("办理时限必须晚于当前时间。")]
    if errors:
        raise ValidationError(fields=errors)


@transaction.atomic
def appeal_dispatch(*, actor, appeal_id: int, leader, handler_user=None, handler_unit: PartnerUnit | None = None,
                    deadline: datetime.datetime | None = None, expected_version: int | None = None,
                    note: str = "") -> Appeal:
    """三定: leader, handler (a worker or a partner unit), deadline from the service-level table."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["dispatch"], appeal)
    APPEAL.check(appeal, "dispatch")
    now = clock.now()
    _check_dispatch(appeal, leader=leader, handler_user=handler_user, handler_unit=handler_unit,
                    deadline=deadline, now=now)
    level = service_level_for(appeal.category, appeal.urgency)
    move(appeal, "dispatch", actor=actor, note=note, changes={
        "leader": leader, "handler_user": handler_user, "handler_unit": handler_unit, "dispatched_by": actor,
        "dispatched_at": now, "reminded_at": None,
        "handle_deadline": deadline or add_working_days(now, level.handle_days),
        "first_response_at": appeal.first_response_at or now})
    on_commit(notices.notify_dispatched, appeal)
    return appeal


@transaction.atomic
def appeal_start(*, actor, appeal_id: int, expected_version: int | None = None) -> Appeal:
    """The handler signs for the dispatch (签收) and starts work."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["start"], appeal)
    move(appeal, "start", actor=actor, changes={"started_at": clock.now()})
    return appeal


@transaction.atomic
def appeal_return(*, actor, appeal_id: int, reason: str, expected_version: int | None = None) -> Appeal:
    """The handler sends a wrong dispatch back (退单), with a reason; counted."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["return"], appeal)
    APPEAL.check(appeal, "return")
    _required(reason=reason)
    # no longer theirs: a partner unit stops seeing it
    move(appeal, "return", actor=actor, note=reason, changes={
        "return_reason": reason.strip(), "return_count": appeal.return_count + 1,
        "handler_user": None, "handler_unit": None})
    on_commit(notices.notify_returned, appeal)
    return appeal


# --- reply / follow-up / close / reopen -------------------------------------------------------------

def _check_reply(*, outcome: str, text: str, plan: str, plan_date, today) -> None:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("请选择办理结果。")]
    if not (text or "").strip():
        errors["text"] = [_("请填写答复内容。")]
    if outcome == Outcome.PENDING:
        if not (plan or "").strip():
            errors["plan"] = [_("暂缓解决的诉求须写明解决计划。")]
        if plan_date is None or plan_date <= today:
            errors["plan_date"] = [_("请填写今后的计划解决日期。")]
    if errors:
        raise ValidationError(fields=errors)


@transaction.atomic
def appeal_reply(*, actor, appeal_id: int, outcome: str, text: str, plan: str = "",
                 plan_date: datetime.date | None = None, expected_version: int | None = None) -> Appeal:
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["reply"], appeal)
    APPEAL.check(appeal, "reply")
    now = clock.now()
    _check_reply(outcome=outcome, text=text, plan=plan, plan_date=plan_date, today=timezone.localdate(now))
    pending = outcome == Outcome.PENDING
    move(appeal, "reply", actor=actor, note=text.strip(), changes={
        "outcome": outcome, "reply_text": text.strip(),
        "plan": plan.strip() if pending else "", "plan_date": plan_date if pending else None, "replied_at": now,
        "is_overdue": appeal.is_overdue or bool(appeal.handle_deadline and now > appeal.handle_deadline)})
    on_commit(notices.notify_replied, appeal)
    return appeal


@transaction.atomic
def appeal_follow_up(*, actor, appeal_id: int, satisfaction: str, note: str = "",
                     expected_version: int | None = None, tracking_token: str | None = None) -> Appeal:
    """回访: staff call back, or the resident rates on the tracking page (actor=None with the secret
    tracking token). Dissatisfied reopens the demand (counted): the table's follow_up_reopen."""
    appeal = lock_appeal(appeal_id, expected_version)
    if actor is None:
        if not token_matches(appeal, tracking_token):
            raise NotFound()
    else:
        appeal_ensure(actor, VERB_PERMS["follow_up"], appeal)
    APPEAL.check(appeal, "follow_up")
    if satisfaction not in (Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED):
        raise ValidationError(fields={"satisfaction": [_("请选择满意度。")]})
    by = FollowUpBy.RESIDENT if actor is None else FollowUpBy.STAFF
    changes = {"satisfaction": satisfaction, "follow_up_note": note.strip(), "followed_up_at": clock.now(),
               "follow_up_by": by}
    if satisfaction == Satisfaction.DISSATISFIED:
        move(appeal, "follow_up_reopen", actor=actor, note=note,
             changes={**changes, "reopen_count": appeal.reopen_count + 1})
        on_commit(notices.notify_reopened, appeal)
    else:
        move(appeal, "follow_up", actor=actor, note=note, changes=changes)
        if actor is None:
            _close_after_rating(appeal)
    return appeal


def _close_after_rating(appeal: Appeal) -> None:
    """A resident who rates 满意 or 基本满意 has ended the loop: the demand closes at once (a staff
    call-back is noted and the worker closes)."""
    move(appeal, "close", actor=SYSTEM, note=_("居民评价后自动办结"), changes={"closed_at": clock.now()})


@transaction.atomic
def appeal_close(*, actor, appeal_id: int, note: str = "", expected_version: int | None = None) -> Appeal:
    """办结 after the follow-up (the table refuses a close from "replied": a reply nobody rated is
    closed by the scheduler, appeal_close_unrated)."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["close"], appeal)
    move(appeal, "close", actor=actor, note=note, changes={"closed_at": clock.now()})
    on_commit(notices.notify_resident, appeal, event="close", text=_("已办结，感谢您的监督。"))
    return appeal


@transaction.atomic
def appeal_close_unrated(*, appeal_id: int, now: datetime.datetime | None = None) -> Appeal | None:
    """The scheduler closes a reply unrated after N days as "not rated"; a no-op when someone acted first."""
    now = now or clock.now()
    appeal = lock_appeal(appeal_id, None)
    cutoff = now - datetime.timedelta(days=follow_up_days())
    if not APPEAL.can(appeal, "close_unrated") or appeal.replied_at is None or appeal.replied_at > cutoff:
        return None
    move(appeal, "close_unrated", actor=SYSTEM, at=now,
         note=_("%(n)d 天内未评价，按“未评价”办结。") % {"n": follow_up_days()},
         changes={"satisfaction": Satisfaction.NOT_RATED, "follow_up_by": FollowUpBy.TIMEOUT, "closed_at": now})
    return appeal


@transaction.atomic
def appeal_reopen(*, actor, appeal_id: int, reason: str, expected_version: int | None = None) -> Appeal:
    """Staff reopen a replied or closed demand (within the reopen window after closing); counted."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["reopen"], appeal)
    APPEAL.check(appeal, "reopen")
    _required(reason=reason)
    now = clock.now()
    if appeal.status == Status.CLOSED and appeal.closed_at < now - datetime.timedelta(days=reopen_window_days()):
        raise TransitionNotAllowed(_("办结已超过 %(n)d 天，不能重办；请作为新诉求登记。") % {"n": reopen_window_days()})
    move(appeal, "reopen", actor=actor, note=reason,
         changes={"reopen_count": appeal.reopen_count + 1, "closed_at": None})
    on_commit(notices.notify_reopened, appeal)
    return appeal


# Intake, supervision and linking live in their own modules; import every verb from here.
from .intake import appeal_submit  # noqa: E402,F401
from .linking import appeal_link, appeal_merge  # noqa: E402,F401
from .supervision import appeal_supervise, appeal_supervision_answer  # noqa: E402,F401
