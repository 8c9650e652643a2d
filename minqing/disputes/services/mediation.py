"""Mediation sessions, recusal of a mediator, failure and referral."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import ValidationError
from minqing.core.transitions import transition

from ..models import DISPUTE, Dispute, MediationSession, MediatorRecusal, Referral, Verb
from .common import ensure_serves, require


def _lock(dispute_id: int, expected_version: int | None) -> Dispute:
    return lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id, expected_version=expected_version)


@transaction.atomic
def mediation_session_record(*, actor, dispute_id: int, held_at: datetime.datetime, mediator, participants: str,
                             notes: str, venue: str = "", expected_version: int | None = None) -> MediationSession:
    """Record a mediation meeting; the first one moves the dispute into mediation."""
    dispute = _lock(dispute_id, expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.MEDIATE)
    require(held_at=held_at, mediator=mediator, participants=(participants or "").strip(),
            notes=(notes or "").strip())
    ensure_serves(mediator, dispute.place.code, "mediator")
    if dispute.recusals.filter(mediator=mediator).exists():
        raise ValidationError(fields={"mediator": [_("该调解员已回避本纠纷，请另选调解员。")]})
    if held_at > timezone.now() + datetime.timedelta(hours=1):
        raise ValidationError(fields={"held_at": [_("调解时间不能晚于现在：请在调解后记录。")]})
    session = MediationSession.objects.create(dispute=dispute, held_at=held_at, mediator=mediator, venue=venue,
                                              participants=participants.strip(), notes=notes.strip())
    transition(dispute, table=DISPUTE, verb=Verb.MEDIATE, actor=actor,
               payload={"session": session.held_at, "mediator": str(mediator)})
    return session


@transaction.atomic
def mediator_recuse(*, actor, dispute_id: int, mediator, reason: str) -> MediatorRecusal:
    """Withdraw a mediator (a party objects, or they are related to a party): they cannot mediate it again."""
    dispute = _lock(dispute_id, None)
    ensure_can(actor, "dispute.change", dispute.place.code)
    require(mediator=mediator, reason=(reason or "").strip())
    if dispute.recusals.filter(mediator=mediator).exists():
        raise ValidationError(fields={"mediator": [_("该调解员已回避。")]})
    recusal = MediatorRecusal.objects.create(dispute=dispute, mediator=mediator, reason=reason.strip())
    audit_record(actor=actor, action="dispute.recuse", obj=dispute,
                 payload={"mediator": str(mediator), "reason": reason})
    return recusal


@transaction.atomic
def dispute_fail(*, actor, dispute_id: int, reason: str, expected_version: int | None = None) -> Dispute:
    dispute = _lock(dispute_id, expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.FAIL)
    require(reason=(reason or "").strip())
    transition(dispute, table=DISPUTE, verb=Verb.FAIL, actor=actor, payload={"reason": reason})
    return dispute


@transaction.atomic
def dispute_refer(*, actor, dispute_id: int, destination: str, receiving_body: str, note: str,
                  reference: str = "", expected_version: int | None = None) -> Referral:
    """Send a dispute mediation could not (fully) settle to a court, arbitration or the petition office."""
    dispute = _lock(dispute_id, expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.REFER)
    require(destination=destination, receiving_body=(receiving_body or "").strip(), note=(note or "").strip())
    if destination not in Referral.Destination.values:
        raise ValidationError(fields={"destination": [_("请选择移交去向。")]})
    referral = Referral.objects.create(dispute=dispute, destination=destination, receiving_body=receiving_body.strip(),
                                       reference=reference, note=note.strip(), referred_by=actor)
    transition(dispute, table=DISPUTE, verb=Verb.REFER, actor=actor, payload={
        "destination": referral.get_destination_display(), "receiving_body": receiving_body})
    return referral
