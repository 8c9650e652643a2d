"""Every write to a demand: one service per verb of the TRANSITIONS table (models.py).

Each transition: lock the row (and compare the version the form showed → Conflict), check the move
in the table (→ TransitionNotAllowed with a clear message), check the actor's right at the demand's
place (partner units: only what was sent to them), save the changed fields, write one AppealEvent
and one audit row, and send notices on commit.
"""
from __future__ import annotations

import datetime
import functools

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.models import PartnerUnit, Role
from minqing.accounts.policy import ROLE_PERMISSIONS, can, ensure_can, partner_unit_ids
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import NotFound, TransitionNotAllowed, ValidationError
from minqing.dashboard.dirty import rollup_mark_dirty
from minqing.workdays.calendar import add_working_days

from . import notices
from .conf import follow_up_days, reopen_window_days
from .tokens import token_matches
from .models import (
    VERB_LABELS, Appeal, AppealEvent, FollowUpBy, Outcome, Satisfaction, Status, transition_target,
)
from .taxonomy_services import service_level_for

# The permission each verb needs at the demand's place (partner units: on what was sent to them).
VERB_PERMS = {
    "accept": "appeal.accept", "reject": "appeal.accept", "dispatch": "appeal.dispatch", "start": "appeal.reply",
    "return": "appeal.reply", "reply": "appeal.reply", "follow_up": "appeal.follow_up",
    "close": "appeal.follow_up", "reopen": "appeal.follow_up", "supervise": "appeal.supervise",
    "link": "appeal.accept", "merge": "appeal.accept",
}
RESIDENT = "居民"  # the audit trail's actor label for a resident on the public pages
SYSTEM = "系统"


# --- the machinery every verb shares ------------------------------------------------------------

def actor_label(actor) -> str:
    if actor is None:
        return RESIDENT
    if isinstance(actor, str):
        return actor
    return actor.get_full_name()


def appeal_ensure(actor, perm: str, appeal: Appeal) -> None:
    """The right to `perm` on this demand: by place, or as the partner unit it was sent to."""
    if (appeal.handler_unit_id and appeal.handler_unit_id in partner_unit_ids(actor)
            and perm in ROLE_PERMISSIONS[Role.PARTNER_UNIT]):
        return
    ensure_can(actor, perm, appeal.place_code)


def check_transition(appeal: Appeal, verb: str) -> str:
    target = transition_target(verb, appeal.status)
    if target is None:
        raise TransitionNotAllowed(_("诉求当前为“%(status)s”，不能%(verb)s。") % {
            "status": appeal.get_status_display(), "verb": VERB_LABELS[verb]})
    return target


def lock_appeal(appeal_id: int, expected_version: int | None) -> Appeal:
    return lock_for_change(Appeal.objects.all(), pk=appeal_id, expected_version=expected_version)


def record(appeal: Appeal, *, actor, verb: str, from_status: str, fields: list[str], note: str = "",
           public: bool = True, changes: dict | None = None, at: datetime.datetime | None = None) -> None:
    """Save the changed fields, append the timeline event and the audit row."""
    save_changed(appeal, sorted(set(fields)))
    rollup_mark_dirty(appeal)  # the dashboard recomputes this demand's day
    is_person = actor is not None and not isinstance(actor, str)
    AppealEvent.objects.create(appeal=appeal, verb=verb, from_status=from_status, to_status=appeal.status,
                               actor=actor if is_person else None, actor_label=actor_label(actor),
                               note=note, is_public=public, at=at or timezone.now())
    audit_record(actor=actor if is_person else actor_label(actor), action=f"appeal.{verb}", obj=appeal,
                 changes={"status": [from_status, appeal.status], **(changes or {})})


def on_commit(func, *args, **kwargs) -> None:
    transaction.on_commit(functools.partial(func, *args, **kwargs))


def _required(**values) -> None:
    missing = {name: [_("此项为必填项。")] for name, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationError(fields=missing)


# --- accept / reject ------------------------------------------------------------------------------

@transaction.atomic
def appeal_accept(*, actor, appeal_id: int, expected_version: int | None = None, category=None,
                  urgency: str | None = None, note: str = "") -> Appeal:
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["accept"], appeal)
    before = appeal.status
    appeal.status = check_transition(appeal, "accept")
    now = timezone.now()
    appeal.accepted_at = now
    appeal.first_response_at = appeal.first_response_at or now
    fields = ["status", "accepted_at", "first_response_at"]
    if category is not None:
        appeal.category, fields = category, [*fields, "category"]
    if urgency:
        appeal.urgency, fields = urgency, [*fields, "urgency"]
    record(appeal, actor=actor, verb="accept", from_status=before, fields=fields, note=note)
    on_commit(notices.notify_resident, appeal, event="accept", text=_("已受理，我们将尽快办理。"))
    return appeal


@transaction.atomic
def appeal_reject(*, actor, appeal_id: int, expected_version: int | None = None, reason: str,
                  referral: str = "") -> Appeal:
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["reject"], appeal)
    before = appeal.status
    appeal.status = check_transition(appeal, "reject")
    _required(reason=reason)
    now = timezone.now()
    appeal.reject_reason, appeal.referral = reason.strip(), referral.strip()
    appeal.first_response_at = appeal.first_response_at or now
    appeal.closed_at = now
    record(appeal, actor=actor, verb="reject", from_status=before, note=reason,
           fields=["status", "reject_reason", "referral", "first_response_at", "closed_at"])
    text = _("不予受理：%(r)s") % {"r": reason[:60]}
    if referral:
        text += _("；建议向 %(ref)s 反映") % {"ref": referral[:40]}
    on_commit(notices.notify_resident, appeal, event="reject", text=text)
    return appeal


# --- dispatch / start / return --------------------------------------------------------------------

def _check_dispatch(appeal: Appeal, *, leader, handler_user, handler_unit, deadline, now) -> None:
    errors = {}
    if leader is None or not can(leader, "appeal.view", appeal.place_code):
        errors["leader"] = [_("请选择负责该地点的责任领导。")]
    if (handler_user is None) == (handler_unit is None):
        errors["handler_user"] = [_("请指定一名承办人或一个协办单位（二选一）。")]
    elif handler_user is not None and not can(handler_user, "appeal.reply", appeal.place_code):
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
    before = appeal.status
    appeal.status = check_transition(appeal, "dispatch")
    now = timezone.now()
    _check_dispatch(appeal, leader=leader, handler_user=handler_user, handler_unit=handler_unit,
                    deadline=deadline, now=now)
    level = service_level_for(appeal.category, appeal.urgency)
    appeal.leader, appeal.handler_user, appeal.handler_unit = leader, handler_user, handler_unit
    appeal.dispatched_by, appeal.dispatched_at, appeal.reminded_at = actor, now, None
    appeal.handle_deadline = deadline or add_working_days(now, level.handle_days)
    appeal.first_response_at = appeal.first_response_at or now
    record(appeal, actor=actor, verb="dispatch", from_status=before, note=note,
           fields=["status", "leader", "handler_user", "handler_unit", "dispatched_by", "dispatched_at",
                   "reminded_at", "handle_deadline", "first_response_at"],
           changes={"handler": appeal.handler_label, "leader": str(leader),
                    "deadline": appeal.handle_deadline.isoformat()})
    on_commit(notices.notify_dispatched, appeal)
    return appeal


@transaction.atomic
def appeal_start(*, actor, appeal_id: int, expected_version: int | None = None) -> Appeal:
    """The handler signs for the dispatch (签收) and starts work."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["start"], appeal)
    before = appeal.status
    appeal.status = check_transition(appeal, "start")
    appeal.started_at = timezone.now()
    record(appeal, actor=actor, verb="start", from_status=before, fields=["status", "started_at"])
    return appeal


@transaction.atomic
def appeal_return(*, actor, appeal_id: int, reason: str, expected_version: int | None = None) -> Appeal:
    """The handler sends a wrong dispatch back (退单), with a reason; counted."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["return"], appeal)
    before = appeal.status
    appeal.status = check_transition(appeal, "return")
    _required(reason=reason)
    handler = appeal.handler_label
    appeal.return_reason, appeal.return_count = reason.strip(), appeal.return_count + 1
    appeal.handler_user = appeal.handler_unit = None  # no longer theirs: a partner unit stops seeing it
    record(appeal, actor=actor, verb="return", from_status=before, note=reason, public=False,
           fields=["status", "return_reason", "return_count", "handler_user", "handler_unit"],
           changes={"handler": [handler, ""]})
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
    before = appeal.status
    appeal.status = check_transition(appeal, "reply")
    now = timezone.now()
    _check_reply(outcome=outcome, text=text, plan=plan, plan_date=plan_date, today=timezone.localdate(now))
    appeal.outcome, appeal.reply_text = outcome, text.strip()
    appeal.plan, appeal.plan_date = (plan.strip(), plan_date) if outcome == Outcome.PENDING else ("", None)
    appeal.replied_at = now
    appeal.is_overdue = appeal.is_overdue or bool(appeal.handle_deadline and now > appeal.handle_deadline)
    record(appeal, actor=actor, verb="reply", from_status=before, note=appeal.reply_text,
           fields=["status", "outcome", "reply_text", "plan", "plan_date", "replied_at", "is_overdue"],
           changes={"outcome": outcome})
    on_commit(notices.notify_replied, appeal)
    return appeal


@transaction.atomic
def appeal_follow_up(*, actor, appeal_id: int, satisfaction: str, note: str = "",
                     expected_version: int | None = None, tracking_token: str | None = None) -> Appeal:
    """回访: staff call back, or the resident rates on the tracking page (actor=None with the secret
    tracking token). Dissatisfied reopens the demand (counted)."""
    appeal = lock_appeal(appeal_id, expected_version)
    if actor is None:
        if not token_matches(appeal, tracking_token):
            raise NotFound()
    else:
        appeal_ensure(actor, VERB_PERMS["follow_up"], appeal)
    before = appeal.status
    check_transition(appeal, "follow_up")
    if satisfaction not in (Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED):
        raise ValidationError(fields={"satisfaction": [_("请选择满意度。")]})
    now = timezone.now()
    appeal.satisfaction, appeal.follow_up_note, appeal.followed_up_at = satisfaction, note.strip(), now
    appeal.follow_up_by = FollowUpBy.RESIDENT if actor is None else FollowUpBy.STAFF
    fields = ["status", "satisfaction", "follow_up_note", "followed_up_at", "follow_up_by"]
    if satisfaction == Satisfaction.DISSATISFIED:
        appeal.status = check_transition(appeal, "reopen")
        appeal.reopen_count += 1
        fields.append("reopen_count")
        on_commit(notices.notify_reopened, appeal)
    else:
        appeal.status = Status.FOLLOWED_UP
    record(appeal, actor=actor, verb="follow_up", from_status=before, note=note, fields=fields,
           changes={"satisfaction": satisfaction, "by": appeal.follow_up_by})
    if actor is None and appeal.status == Status.FOLLOWED_UP:
        _close_after_rating(appeal)
    return appeal


def _close_after_rating(appeal: Appeal) -> None:
    """A resident who rates 满意 or 基本满意 has ended the loop: the demand closes at once (a staff
    call-back is noted and the worker closes)."""
    before = appeal.status
    appeal.status = check_transition(appeal, "close")
    appeal.closed_at = timezone.now()
    record(appeal, actor=SYSTEM, verb="close", from_status=before, note=_("居民评价后自动办结"),
           fields=["status", "closed_at"])


@transaction.atomic
def appeal_close(*, actor, appeal_id: int, note: str = "", expected_version: int | None = None) -> Appeal:
    """办结 after the follow-up. A reply nobody rated closes by itself (appeal_close_unrated)."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["close"], appeal)
    if appeal.status == Status.REPLIED:
        raise TransitionNotAllowed(_("请先回访，再办结。"))
    before = appeal.status
    appeal.status = check_transition(appeal, "close")
    appeal.closed_at = timezone.now()
    record(appeal, actor=actor, verb="close", from_status=before, note=note, fields=["status", "closed_at"])
    on_commit(notices.notify_resident, appeal, event="close", text=_("已办结，感谢您的监督。"))
    return appeal


@transaction.atomic
def appeal_close_unrated(*, appeal_id: int, now: datetime.datetime | None = None) -> Appeal | None:
    """The scheduler closes a reply unrated after N days as "not rated"; a no-op when someone acted first."""
    now = now or timezone.now()
    appeal = lock_appeal(appeal_id, None)
    cutoff = now - datetime.timedelta(days=follow_up_days())
    if appeal.status != Status.REPLIED or appeal.replied_at is None or appeal.replied_at > cutoff:
        return None
    before = appeal.status
    appeal.status = check_transition(appeal, "close")
    appeal.satisfaction, appeal.follow_up_by, appeal.closed_at = Satisfaction.NOT_RATED, FollowUpBy.TIMEOUT, now
    record(appeal, actor=SYSTEM, verb="close", from_status=before, at=now,
           note=_("%(n)d 天内未评价，按“未评价”办结。") % {"n": follow_up_days()},
           fields=["status", "satisfaction", "follow_up_by", "closed_at"])
    return appeal


@transaction.atomic
def appeal_reopen(*, actor, appeal_id: int, reason: str, expected_version: int | None = None) -> Appeal:
    """Staff reopen a replied or closed demand (within the reopen window after closing); counted."""
    appeal = lock_appeal(appeal_id, expected_version)
    appeal_ensure(actor, VERB_PERMS["reopen"], appeal)
    before = appeal.status
    appeal.status = check_transition(appeal, "reopen")
    _required(reason=reason)
    now = timezone.now()
    if before == Status.CLOSED and appeal.closed_at < now - datetime.timedelta(days=reopen_window_days()):
        raise TransitionNotAllowed(_("办结已超过 %(n)d 天，不能重办；请作为新诉求登记。") % {"n": reopen_window_days()})
    appeal.reopen_count += 1
    appeal.closed_at = None
    record(appeal, actor=actor, verb="reopen", from_status=before, note=reason,
           fields=["status", "reopen_count", "closed_at"])
    on_commit(notices.notify_reopened, appeal)
    return appeal


# Intake, supervision and linking live in their own modules; import every verb from here.
from .intake import appeal_submit  # noqa: E402,F401
from .linking import appeal_link, appeal_merge  # noqa: E402,F401
from .supervision import appeal_supervise, appeal_supervision_answer  # noqa: E402,F401
