"""Linking demands: recurrence 复发, one matter raised by several residents, merging duplicates."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from minqing.core.errors import Conflict, ValidationError

from minqing.dashboard.dirty import rollup_mark_dirty

from .conf import recurrence_window_days
from .models import Appeal, Status
from .services import appeal_ensure, check_transition, lock_appeal, record

LINK_KINDS = ("recurrence", "matter")


def _lock_pair(appeal_id: int, other_id: int) -> tuple[Appeal, Appeal]:
    """Lock both rows in id order, so two links in opposite directions cannot deadlock."""
    first, second = sorted([appeal_id, other_id])
    locked = {first: lock_appeal(first, None), second: lock_appeal(second, None)}
    return locked[appeal_id], locked[other_id]


@transaction.atomic
def appeal_link(*, actor, appeal_id: int, target_id: int, kind: str, expected_version: int | None = None) -> Appeal:
    """recurrence: this demand repeats `target`, closed within the window before it was submitted
    (counts against target's resolution). matter: both are the same matter; each is still answered."""
    if kind not in LINK_KINDS:
        raise ValidationError(fields={"kind": [_("请选择关联方式。")]})
    if appeal_id == target_id:
        raise ValidationError(fields={"target": [_("不能关联到自身。")]})
    appeal, target = _lock_pair(appeal_id, target_id)
    if expected_version is not None and appeal.version != int(expected_version):
        raise Conflict()
    appeal_ensure(actor, "appeal.accept", appeal)
    appeal_ensure(actor, "appeal.view", target)
    if kind == "recurrence":
        window = datetime.timedelta(days=recurrence_window_days())
        if target.closed_at is None or not (appeal.submitted_at - window <= target.closed_at <= appeal.submitted_at):
            raise ValidationError(fields={"target": [_("只能关联 %(n)d 天内已办结的诉求为复发。") % {
                "n": recurrence_window_days()}]})
        appeal.recurrence_of, field = target, "recurrence_of"
        rollup_mark_dirty(target)  # the first demand's solution no longer stands: its day is recounted
    else:
        appeal.matter, field = target.matter or target, "matter"
    record(appeal, actor=actor, verb="link", from_status=appeal.status, fields=[field], public=False,
           note=f"{kind} → {target.receipt_code}", changes={kind: target.receipt_code})
    return appeal


@transaction.atomic
def appeal_merge(*, actor, appeal_id: int, into_id: int, expected_version: int | None = None) -> Appeal:
    """A duplicate is merged into the demand that goes on: its reporter keeps their receipt code and
    hears every status message of the surviving demand."""
    if appeal_id == into_id:
        raise ValidationError(fields={"into": [_("不能合并到自身。")]})
    appeal, into = _lock_pair(appeal_id, into_id)
    if expected_version is not None and appeal.version != int(expected_version):
        raise Conflict()
    appeal_ensure(actor, "appeal.accept", appeal)
    appeal_ensure(actor, "appeal.accept", into)
    before = appeal.status
    appeal.status = check_transition(appeal, "merge")
    if into.status in (Status.MERGED, Status.REJECTED):
        raise ValidationError(fields={"into": [_("目标诉求已合并或不予受理，请选择继续办理的诉求。")]})
    appeal.merged_into = into
    appeal.matter = into.matter or into
    record(appeal, actor=actor, verb="merge", from_status=before, fields=["status", "merged_into", "matter"],
           note=_("与 %(code)s 为同一问题，合并办理。") % {"code": into.receipt_code},
           changes={"merged_into": into.receipt_code})
    Appeal.objects.filter(merged_into=appeal).update(merged_into=into)  # duplicates of the duplicate follow
    return appeal
