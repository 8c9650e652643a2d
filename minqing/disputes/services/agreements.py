"""The mediation agreement (with its legally required contents) and the follow-up on performance."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import NotFound, TransitionNotAllowed, ValidationError
from minqing.core.transitions import transition

from ..models import DISPUTE, REQUIRED_CONTENTS, Agreement, Dispute, FollowUp, PartySide, Verb
from .common import ensure_serves


def agreement_missing_contents(*, dispute: Dispute, contents: dict) -> dict[str, list[str]]:
    """Field → messages for every article-29 item that is missing, including the parties on both sides."""
    missing = {name: [_("协议书必须载明：%(item)s。") % {"item": label}]
               for name, label in REQUIRED_CONTENTS.items() if not str(contents.get(name) or "").strip()}
    sides = set(dispute.parties.values_list("side", flat=True))
    if not {PartySide.APPLICANT, PartySide.RESPONDENT} <= sides:
        missing["parties"] = [_("协议书必须载明双方当事人的基本情况：请先登记申请人和被申请人。")]
    return missing


@transaction.atomic
def agreement_make(*, actor, dispute_id: int, mediator, committee: str, scope: str = Agreement.Scope.FULL,
                   expected_version: int | None = None, **contents) -> Agreement:
    """Write the agreement reached in mediation: all of it (→ agreed) or part of it (→ partial)."""
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    verb = Verb.AGREE if scope == Agreement.Scope.FULL else Verb.SETTLE_PARTLY
    DISPUTE.check(dispute, verb)
    missing = agreement_missing_contents(dispute=dispute, contents=contents)
    if not (committee or "").strip():
        missing["committee"] = [_("请填写人民调解委员会名称。")]
    if missing:
        raise ValidationError(fields=missing)
    ensure_serves(mediator, dispute.place.code, "mediator")
    if dispute.recusals.filter(mediator=mediator).exists():
        raise ValidationError(fields={"mediator": [_("该调解员已回避本纠纷，请另选调解员。")]})
    agreement = Agreement.objects.create(dispute=dispute, scope=scope, mediator=mediator, committee=committee.strip(),
                                         **{name: contents[name] for name in REQUIRED_CONTENTS})
    transition(dispute, table=DISPUTE, verb=verb, actor=actor, changes={"settled_at": timezone.now()},
               payload={"agreement": agreement.pk, "performance_deadline": agreement.performance_deadline})
    return agreement


@transaction.atomic
def agreement_follow_up(*, actor, dispute_id: int, honoured: bool, note: str,
                        visited_on: datetime.date | None = None, expected_version: int | None = None) -> FollowUp:
    """After the performance date: honoured closes the case; not honoured re-opens mediation (counted)."""
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    verb = Verb.FOLLOW_UP_HONOURED if honoured else Verb.FOLLOW_UP_BREACHED
    DISPUTE.check(dispute, verb)
    agreement = dispute.agreements.order_by("-created_at", "-id").first()
    if agreement is None:
        raise NotFound(_("该纠纷没有调解协议。"))
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():  # a visit not made yet cannot close the case as performed
        raise ValidationError(fields={"visited_on": [_("回访日期不能晚于今天。")]})
    if visited_on < agreement.performance_deadline:
        raise TransitionNotAllowed(_("履行期限（%(d)s）未到，到期后再回访确认履行情况。") % {
            "d": agreement.performance_deadline.isoformat()})
    if not (note or "").strip():
        raise ValidationError(fields={"note": [_("请填写回访情况。")]})
    follow_up = FollowUp.objects.create(agreement=agreement, visited_on=visited_on, honoured=honoured,
                                        note=note.strip(), visited_by=actor)
    changes = ({"closed_at": timezone.now()} if honoured else
               {"reopen_count": dispute.reopen_count + 1, "settled_at": None})
    transition(dispute, table=DISPUTE, verb=verb, actor=actor, changes=changes,
               payload={"honoured": honoured, "note": note})
    return follow_up
