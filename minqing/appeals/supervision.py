"""督办: a leader or supervisor presses the handler of an open demand; the answer is recorded."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from minqing.core import clock
from minqing.core.audit import audit_record
from minqing.core.errors import NotFound, TransitionNotAllowed, ValidationError

from . import notices
from .events import appeal_note
from .models import APPEAL, Supervision
from .moves import appeal_ensure, lock_appeal, move, on_commit


@transaction.atomic
def appeal_supervise(*, actor, appeal_id: int, demand: str) -> Supervision:
    """Press whoever holds the demand now: the handler (worker or unit) once dispatched, else the leader
    or the community's dispatchers."""
    appeal = lock_appeal(appeal_id, None)
    appeal_ensure(actor, "appeal.supervise", appeal)
    APPEAL.check(appeal, "supervise")
    if not (demand or "").strip():
        raise ValidationError(fields={"demand": [_("请填写督办要求。")]})
    supervision = Supervision.objects.create(appeal=appeal, supervisor=actor, pressed_user=appeal.handler_user,
                                             pressed_unit=appeal.handler_unit, demand=demand.strip())
    pressed = notices.handler_users(appeal) or notices.community_holders("appeal.dispatch", appeal.place_code)
    whom = appeal.handler_label or ", ".join(str(u) for u in pressed[:3])
    move(appeal, "supervise", actor=actor, note=f"{whom}: {supervision.demand}",
         changes={"supervision_count": appeal.supervision_count + 1}, payload={"pressed": whom})
    on_commit(notices.notify_supervised, appeal, [*pressed, appeal.leader])
    return supervision


@transaction.atomic
def appeal_supervision_answer(*, actor, supervision_id: int, answer: str) -> Supervision:
    supervision = Supervision.objects.select_for_update().select_related("appeal").filter(pk=supervision_id).first()
    if supervision is None:
        raise NotFound()
    appeal_ensure(actor, "appeal.reply", supervision.appeal)
    if supervision.answered_at is not None:
        raise TransitionNotAllowed(_("该督办已反馈。"))
    if not (answer or "").strip():
        raise ValidationError(fields={"answer": [_("请填写反馈内容。")]})
    supervision.answer, supervision.answered_by, supervision.answered_at = answer.strip(), actor, clock.now()
    supervision.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    appeal_note(supervision.appeal, verb="supervision_answer", actor=actor, note=supervision.answer,
                at=supervision.answered_at)
    audit_record(actor=actor, action="appeal.supervision_answer", obj=supervision, changes={"answer": answer[:200]})
    on_commit(notices.notify_staff, supervision.appeal, kind="appeal.supervision_answer",
              text=_("督办已反馈：%(a)s") % {"a": answer[:60]}, users=[supervision.supervisor])
    return supervision
