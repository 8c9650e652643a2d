"""Reporting a dispute, its parties, risk, 三定四包, rejection and closing."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.appeals.selectors import appeal_get
from minqing.core import crypto
from minqing.core.audit import audit_record, diff, snapshot
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import ValidationError
from minqing.core.transitions import transition
from minqing.places.models import Place

from ..models import DISPUTE, Dispute, DisputeParty, EscalationSign, Kind, PartySide, Responsibility, RiskLevel, Verb
from .common import ensure_serves, require

RISK_FIELDS = ("risk_level", "risk_reasons", "escalation_signs", "people_involved")


def _check_risk(*, risk_level: str, risk_reasons: str, escalation_signs: list[str]) -> None:
    errors = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("请选择风险等级。")]
    elif risk_level != RiskLevel.GENERAL and not (risk_reasons or "").strip():
        errors["risk_reasons"] = [_("较大、重大风险须写明定级理由。")]
    unknown = [s for s in escalation_signs if s not in EscalationSign.values]
    if unknown:
        errors["escalation_signs"] = [_("未知的激化苗头：%(s)s") % {"s": "、".join(unknown)}]
    if errors:
        raise ValidationError(fields=errors)


@transaction.atomic
def dispute_report(*, actor, place: Place, title: str, kind: str, description: str, people_involved: int = 2,
                   risk_level: str = RiskLevel.GENERAL, risk_reasons: str = "",
                   escalation_signs: list[str] | None = None, location: str = "", screening_round=None,
                   source_appeal_id: int | None = None) -> Dispute:
    """Register a dispute found by screening, a visit, a demand or walk-in. Parties are added next."""
    ensure_can(actor, "dispute.change", place.code)
    require(title=(title or "").strip(), description=(description or "").strip(), kind=kind)
    if kind not in Kind.values:
        raise ValidationError(fields={"kind": [_("请选择纠纷类型。")]})
    signs = list(dict.fromkeys(escalation_signs or []))
    _check_risk(risk_level=risk_level, risk_reasons=risk_reasons, escalation_signs=signs)
    if source_appeal_id is not None:
        _ensure_sees_appeal(actor, source_appeal_id)
    if screening_round is not None and not place.code.startswith(screening_round.grid.code):
        raise ValidationError(fields={"screening_round": [_("排查记录与纠纷发生地不属于同一网格。")]})
    dispute = Dispute.objects.create(
        title=title.strip(), kind=kind, place=place, location=location, description=description.strip(),
        people_involved=people_involved, risk_level=risk_level, risk_reasons=risk_reasons,
        escalation_signs=signs, screening_round=screening_round, reported_by=actor,
        source_appeal_id=source_appeal_id,
    )
    audit_record(actor=actor, action="dispute.report", obj=dispute,
                 payload=snapshot(dispute, ("title", "kind", "place", "risk_level", "escalation_signs")))
    return dispute


def _ensure_sees_appeal(actor, appeal_id: int) -> None:
    """A dispute taken over from a demand names it; the actor must be able to see that demand."""
    appeal_get(actor=actor, appeal_id=appeal_id)


@transaction.atomic
def dispute_party_add(*, actor, dispute_id: int, side: str, name: str = "", resident=None,
                      party_kind: str = DisputeParty.PartyKind.PERSON, sex: str = "", age: int | None = None,
                      representative: str = "", address: str = "", phone: str = "") -> DisputeParty:
    """Add a party: a ledger resident (name and address copied from the ledger) or an outside party."""
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id)
    ensure_can(actor, "dispute.change", dispute.place.code)
    phone_cipher = crypto.encrypt(phone.strip())
    if resident is not None:
        ensure_can(actor, "ledger.view", resident.place_code)
        name, address = resident.name, address or _resident_address(resident)
        sex, age = sex or resident.get_sex_display(), age or resident.age
        phone_cipher = phone_cipher or resident.phone_cipher
    require(name=(name or "").strip())
    if side not in PartySide.values:
        raise ValidationError(fields={"side": [_("请选择当事人类别。")]})
    party = DisputeParty.objects.create(
        dispute=dispute, side=side, party_kind=party_kind, name=name.strip(), sex=sex, age=age,
        representative=representative, address=address, phone_encrypted=phone_cipher, resident=resident,
    )
    audit_record(actor=actor, action="dispute.party_add", obj=dispute,
                 payload={"party": str(party), "from_ledger": resident is not None})
    return party


def _resident_address(resident) -> str:
    household = resident.household
    if household is None:
        return ""
    building = household.building
    return f"{building.address or building.full_name}{household.room}"


@transaction.atomic
def dispute_assess_risk(*, actor, dispute_id: int, risk_level: str, risk_reasons: str,
                        escalation_signs: list[str], people_involved: int,
                        expected_version: int | None = None) -> Dispute:
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    signs = list(dict.fromkeys(escalation_signs))
    _check_risk(risk_level=risk_level, risk_reasons=risk_reasons, escalation_signs=signs)
    before = snapshot(dispute, RISK_FIELDS)
    dispute.risk_level, dispute.risk_reasons = risk_level, risk_reasons
    dispute.escalation_signs, dispute.people_involved = signs, people_involved
    save_changed(dispute, list(RISK_FIELDS))
    audit_record(actor=actor, action="dispute.assess_risk", obj=dispute,
                 changes=diff(before, snapshot(dispute, RISK_FIELDS)))
    return dispute


@transaction.atomic
def dispute_accept(*, actor, dispute_id: int, leader, staff, deadline: datetime.date,
                   owners: dict[str, object] | None = None, expected_version: int | None = None) -> Dispute:
    """三定四包: fix the leader, the staff and the deadline, and give each of the four duties an owner.

    `owners` maps Responsibility.Kind → user; a duty left out goes to the staff member (包协调处理,
    包教育稳控) or the leader (包研究, 包督办落实).
    """
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.ACCEPT)
    require(leader=leader, staff=staff, deadline=deadline)
    ensure_serves(leader, dispute.place.code, "leader")
    ensure_serves(staff, dispute.place.code, "staff")
    if deadline < timezone.localdate():
        raise ValidationError(fields={"deadline": [_("化解时限不能早于今天。")]})
    defaults = {Responsibility.Kind.STUDY: leader, Responsibility.Kind.COORDINATE: staff,
                Responsibility.Kind.SUPERVISE: leader, Responsibility.Kind.STABILISE: staff}
    owners = {**defaults, **{k: v for k, v in (owners or {}).items() if v is not None}}
    for kind, owner in owners.items():
        ensure_serves(owner, dispute.place.code, f"owner_{kind}")
    Responsibility.objects.bulk_create(
        [Responsibility(dispute=dispute, kind=kind, owner=owner) for kind, owner in owners.items()])
    transition(dispute, table=DISPUTE, verb=Verb.ACCEPT, actor=actor, changes={
        "leader": leader, "staff": staff, "deadline": deadline, "accepted_at": timezone.now()},
        payload={"四包": {str(Responsibility.Kind(k).label): str(u) for k, u in owners.items()}})
    return dispute


@transaction.atomic
def dispute_reject(*, actor, dispute_id: int, reason: str, expected_version: int | None = None) -> Dispute:
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.REJECT)
    require(reason=(reason or "").strip())
    transition(dispute, table=DISPUTE, verb=Verb.REJECT, actor=actor,
               changes={"reject_reason": reason.strip(), "closed_at": timezone.now()})
    return dispute


@transaction.atomic
def dispute_close(*, actor, dispute_id: int, note: str, expected_version: int | None = None) -> Dispute:
    """Close a partly settled dispute (the rest dropped) or a referred one (the receiving body took it)."""
    dispute = lock_for_change(Dispute.objects.select_related("place"), pk=dispute_id,
                              expected_version=expected_version)
    ensure_can(actor, "dispute.change", dispute.place.code)
    DISPUTE.check(dispute, Verb.CLOSE)
    require(note=(note or "").strip())
    transition(dispute, table=DISPUTE, verb=Verb.CLOSE, actor=actor, changes={"closed_at": timezone.now()},
               payload={"note": note})
    return dispute


@transaction.atomic
def responsibility_update(*, actor, responsibility_id: int, state: str, note: str = "", owner=None,
                          expected_version: int | None = None) -> Responsibility:
    duty = lock_for_change(Responsibility.objects.select_related("dispute__place", "owner"), pk=responsibility_id,
                           expected_version=expected_version)
    ensure_can(actor, "dispute.change", duty.dispute.place.code)
    if state not in Responsibility.State.values:
        raise ValidationError(fields={"state": [_("请选择落实情况。")]})
    if owner is not None:
        ensure_serves(owner, duty.dispute.place.code, "owner")
    fields = ("owner", "state", "note")
    before = snapshot(duty, fields)
    duty.state, duty.note = state, note
    if owner is not None:
        duty.owner = owner
    save_changed(duty, list(fields))
    audit_record(actor=actor, action="dispute.responsibility_update", obj=duty.dispute,
                 changes=diff(before, snapshot(duty, fields)), payload={"duty": duty.get_kind_display()})
    return duty
