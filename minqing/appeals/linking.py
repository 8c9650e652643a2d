"""Linking demands: recurrence 复发, one matter raised by several residents, merging duplicates."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from minqing.core.errors import Conflict, ValidationError

from .conf import recurrence_window_days
from .models import APPEAL, Appeal, Status
from .moves import appeal_ensure, lock_appeal, move

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
        changes = {"recurrence_of": target}
    else:
        changes = {"matter": target.matter or target}
    move(appeal, "link", actor=actor, note=f"{kind} → {target.receipt_code}", changes=changes,
         payload={kind: target.receipt_code})
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
    APPEAL.check(appeal, "merge")
    if into.status in (Status.MERGED, Status.REJECTED):
        raise ValidationError(fields={"into": [_("目标诉求已合并或不予受理，请选择继续办理的诉求。")]})
    move(appeal, "merge", actor=actor, changes={"merged_into": into, "matter": into.matter or into},
         note=_("与 %(code)s 为同一问题，合并办理。") % {"code": into.receipt_code})
    Appeal.objects.filter(merged_into=appeal).update(merged_into=into)  # duplicates of the duplicate follow
    return appeal
