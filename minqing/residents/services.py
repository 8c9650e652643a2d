"""Every write to the ledger: households, residents, moves, care tags and liaisons.

Each service checks the actor (`ledger.change` at the place), locks what it changes, saves and writes
one audit row. Personal data is validated here and sealed by `identity` before it touches a model;
audit rows carry only masked values. The Excel import (`importing.py`) and the privacy services
(`privacy.py`) reuse `resident_values` so the rules are the same on every path.
"""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.models import Role, User
from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record, diff, snapshot
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import NotFound, ValidationError
from minqing.places.codes import lineage, prefix_at
from minqing.places.models import Place, PlaceKind

from .identity import IdentityError, parse_id_number, parse_phone, seal_id_number, seal_phone
from .initials import name_initials
from .models import CareTag, Household, Move, MoveKind, Relation, Resident, ResidentStatus, ResidentTag, Sex

PROFILE_FIELDS = ("name", "relation", "sex", "birth_date", "is_floating", "registered_place", "occupation",
                  "political_status", "notes")
_PLAIN_PROFILE = tuple(f for f in PROFILE_FIELDS if f != "birth_date")  # audited as shown (core/masking.py)
LIAISON_ROLES = (Role.STREET_STAFF, Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER, Role.GRID_WORKER,
                 Role.BUILDING_HEAD, Role.BRANCH_SECRETARY)


# --- shared rules (also used row by row by the Excel import) ---------------------------------------

def resident_values(*, name: str, relation: str, id_number: str = "", phone: str = "", sex: str = "",
                    birth_date: datetime.date | None = None) -> tuple[dict, dict]:
    """Validated model values for a resident's identity, and {field: [message]} for what is wrong.

    The ID number decides birth date and sex; a different birth date or sex given alongside is an error
    rather than silently overwritten, because one of the two was typed wrong.
    """
    values, errors = {"name": (name or "").strip(), "relation": relation, "sex": sex or "", "birth_date": birth_date}, {}
    if not values["name"]:
        errors["name"] = [_("请填写姓名。")]
    if relation not in Relation.values:
        errors["relation"] = [_("与户主关系不正确。")]
    if sex and sex not in Sex.values:
        errors["sex"] = [_("性别应为男或女。")]
    if id_number:
        try:
            parsed = parse_id_number(id_number)
        except IdentityError as exc:
            errors["id_number"] = [str(exc)]
        else:
            if birth_date and birth_date != parsed.birth_date:
                errors["birth_date"] = [_("出生日期与身份证号不符（身份证号为 %(d)s）。") % {"d": parsed.birth_date}]
            if sex and sex != parsed.sex:
                errors["sex"] = [_("性别与身份证号不符。")]
            values.update(birth_date=parsed.birth_date, sex=parsed.sex, id_number=parsed.value)
    if phone:
        try:
            values["phone"] = parse_phone(phone)
        except IdentityError as exc:
            errors["phone"] = [str(exc)]
    return values, errors


def apply_identity(resident: Resident, values: dict) -> None:
    """Copy validated values onto the resident, sealing ID number and phone (never stored plain)."""
    for name in ("name", "relation", "sex", "birth_date"):
        setattr(resident, name, values[name])
    resident.name_initials = name_initials(resident.name)
    if "id_number" in values:
        sealed = seal_id_number(values["id_number"])
        resident.id_number_cipher, resident.id_number_hash, resident.id_number_masked = (
            sealed.cipher, sealed.hash, sealed.masked)
    if "phone" in values:
        sealed = seal_phone(values["phone"])
        resident.phone_cipher, resident.phone_hash, resident.phone_masked = sealed.cipher, sealed.hash, sealed.masked


def _ensure_id_number_free(id_hash: str, *, except_pk=None) -> None:
    if id_hash and Resident.objects.filter(id_number_hash=id_hash).exclude(pk=except_pk).exists():
        raise ValidationError(fields={"id_number": [_("该身份证号已在台账中登记，请先查找该居民。")]})


def _household_for_change(actor, household_id, expected_version=None) -> Household:
    household = lock_for_change(Household.objects.select_related("building"), pk=household_id,
                                expected_version=expected_version)
    ensure_can(actor, "ledger.change", household.place_code)
    return household


def _resident_for_change(actor, resident_id, expected_version=None) -> Resident:
    resident = lock_for_change(Resident.objects.all(), pk=resident_id, expected_version=expected_version)
    ensure_can(actor, "ledger.change", resident.place_code)
    if resident.anonymised_at:
        raise ValidationError(_("该居民信息已匿名化，不能再修改。"))
    return resident


def liaison_candidates(place_code: str):
    """Cadres who may be a household's liaison: staff placed over it or within its community."""
    community = prefix_at(place_code, PlaceKind.COMMUNITY)
    return User.objects.filter(
        is_active=True, assignments__is_active=True, assignments__role__in=LIAISON_ROLES,
    ).filter(
        Q(assignments__place__code__startswith=community) | Q(assignments__place__code__in=lineage(community)),
    ).distinct()


# --- households -------------------------------------------------------------------------------------

@transaction.atomic
def household_create(*, actor, building_id: int, room: str, liaison_id: int | None = None,
                     notes: str = "") -> Household:
    building = Place.objects.filter(pk=building_id, kind=PlaceKind.BUILDING).first()
    if building is None:
        raise ValidationError(fields={"building": [_("请选择楼栋。")]})
    ensure_can(actor, "ledger.change", building.code)
    if not (room or "").strip():
        raise ValidationError(fields={"room": [_("请填写门牌/房号。")]})
    household = Household(building=building, place_code=building.code, room=room.strip(), notes=notes)
    _set_liaison(household, liaison_id)
    household.save()
    audit_record(actor=actor, action="household.create", obj=household,
                 changes=snapshot(household, ("building", "room", "liaison")))
    return household


def _set_liaison(household: Household, liaison_id: int | None) -> None:
    if liaison_id and not liaison_candidates(household.place_code).filter(pk=liaison_id).exists():
        raise ValidationError(fields={"liaison": [_("包户联系人须是本社区的干部或网格员。")]})
    household.liaison_id = liaison_id or None


@transaction.atomic
def household_update(*, actor, household_id: int, expected_version: int | None = None, room: str,
                     liaison_id: int | None, notes: str = "") -> Household:
    household = _household_for_change(actor, household_id, expected_version)
    if not (room or "").strip():
        raise ValidationError(fields={"room": [_("请填写门牌/房号。")]})
    before = snapshot(household, ("room", "liaison", "notes"))
    household.room, household.notes = room.strip(), notes
    _set_liaison(household, liaison_id)
    household.liaison = User.objects.filter(pk=household.liaison_id).first()
    changed = diff(before, snapshot(household, ("room", "liaison", "notes")))
    if changed:
        save_changed(household, ["room", "liaison", "notes"])
        audit_record(actor=actor, action="household.update", obj=household, changes=changed)
    return household


@transaction.atomic
def household_assign_liaison(*, actor, household_id: int, liaison_id: int | None,
                             expected_version: int | None = None) -> Household:
    household = _household_for_change(actor, household_id, expected_version)
    before = snapshot(household, ("liaison",))
    _set_liaison(household, liaison_id)
    household.liaison = User.objects.filter(pk=household.liaison_id).first()
    changed = diff(before, snapshot(household, ("liaison",)))
    if changed:
        save_changed(household, ["liaison"])
        audit_record(actor=actor, action="household.assign_liaison", obj=household, changes=changed)
    return household


@transaction.atomic
def household_set_head(*, actor, household_id: int, resident_id: int) -> Household:
    household = _household_for_change(actor, household_id)
    member = household.members.filter(pk=resident_id, status=ResidentStatus.LIVING).first()
    if member is None:
        raise ValidationError(fields={"head": [_("户主须是本户在住成员。")]})
    before = snapshot(household, ("head",))
    household.head = member
    save_changed(household, ["head"])
    if member.relation != Relation.HEAD:
        member.relation = Relation.HEAD
        save_changed(member, ["relation"])
    audit_record(actor=actor, action="household.set_head", obj=household,
                 changes=diff(before, snapshot(household, ("head",))))
    return household


# --- residents --------------------------------------------------------------------------------------

@transaction.atomic
def resident_register(*, actor, household_id: int, name: str, relation: str = Relation.HEAD, id_number: str = "",
                      phone: str = "", sex: str = "", birth_date: datetime.date | None = None,
                      moved_in_on: datetime.date | None = None, moved_in_from: str = "",
                      **profile) -> Resident:
    """A resident joins a household: the ledger row, an 'in' move, and the head if the household has none."""
    household = _household_for_change(actor, household_id)
    values, errors = resident_values(name=name, relation=relation, id_number=id_number, phone=phone, sex=sex,
                                     birth_date=birth_date)
    if errors:
        raise ValidationError(fields=errors)
    resident = Resident(household=household, place_code=household.place_code,
                        **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    apply_identity(resident, values)
    _ensure_id_number_free(resident.id_number_hash)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a simultaneous registration of the same ID number
        raise ValidationError(fields={"id_number": [_("该身份证号已在台账中登记，请先查找该居民。")]}) from exc
    Move.objects.create(resident=resident, kind=MoveKind.IN, date=moved_in_on or timezone.localdate(),
                        to_household=household, from_text=moved_in_from, to_text=str(household),
                        reason=_("登记入册"), place_code=household.place_code, recorded_by=_person(actor))
    if resident.relation == Relation.HEAD and household.head_id is None:
        household.head = resident
        save_changed(household, ["head"])
    audit_record(actor=actor, action="resident.register", obj=resident, changes=_audit_view(resident))
    return resident


def _person(actor):
    return actor if getattr(actor, "pk", None) else None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _audit_view(resident: Resident) -> dict:
    """What the audit trail keeps of a resident: masked personal data only."""
    return {**snapshot(resident, ("name", "relation", "sex", "is_floating")), "birth_date": _iso(
        resident.birth_date_shown), "id_number": resident.id_number_masked, "phone": resident.phone_masked}


@transaction.atomic
def resident_update(*, actor, resident_id: int, expected_version: int | None = None, id_number: str | None = None,
                    phone: str | None = None, **changes) -> Resident:
    """Edit a resident's profile. `id_number`/`phone`: None keeps the stored value, "" clears it."""
    resident = _resident_for_change(actor, resident_id, expected_version)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(fields={name: [_("该字段不可修改。")] for name in unknown})
    merged = {**{name: getattr(resident, name) for name in PROFILE_FIELDS}, **changes}
    values, errors = resident_values(name=merged["name"], relation=merged["relation"], id_number=id_number or "",
                                     phone=phone or "", sex=merged["sex"], birth_date=merged["birth_date"])
    if id_number is None and resident.id_number_hash:
        # Birth date and sex come from the stored ID number; changing them alone would contradict it.
        for name in ("sex", "birth_date"):
            if merged[name] != getattr(resident, name):
                errors.setdefault(name, []).append(_("已登记身份证号，出生日期和性别以身份证号为准。"))
    if errors:
        raise ValidationError(fields=errors)
    if id_number == "":
        values["id_number"] = ""
    if phone == "":
        values["phone"] = ""
    before = {**snapshot(resident, _PLAIN_PROFILE), **_audit_view(resident)}
    before_hashes = (resident.id_number_hash, resident.phone_hash)
    for name in ("is_floating", "registered_place", "occupation", "political_status", "notes"):
        setattr(resident, name, merged[name])
    apply_identity(resident, values)
    _ensure_id_number_free(resident.id_number_hash, except_pk=resident.pk)
    changed = diff(before, {**snapshot(resident, _PLAIN_PROFILE), **_audit_view(resident)})
    # Two numbers can share a mask: compare the hashes so a corrected middle digit still counts.
    for name, old, new in zip(("id_number", "phone"), before_hashes, (resident.id_number_hash, resident.phone_hash)):
        if old != new and name not in changed:
            changed[name] = [before[name], _audit_view(resident)[name]]
    if changed:
        save_changed(resident, [*PROFILE_FIELDS, "name_initials", "id_number_cipher", "id_number_hash",
                                "id_number_masked", "phone_cipher", "phone_hash", "phone_masked"])
        audit_record(actor=actor, action="resident.update", obj=resident, changes=changed)
    return resident


def _end_current_tags(resident: Resident, on: datetime.date) -> None:
    resident.tags.filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).filter(start_date__lte=on).update(end_date=on)


def _leave_household(resident: Resident) -> Household | None:
    household = resident.household
    if household is None:
        return None
    if household.head_id == resident.pk:
        household.head = None
        save_changed(household, ["head"])
    if not household.members.filter(status=ResidentStatus.LIVING).exclude(pk=resident.pk).exists():
        household.is_active = False
        save_changed(household, ["is_active"])
    return household


@transaction.atomic
def resident_move_out(*, actor, resident_id: int, date: datetime.date, to_text: str = "", reason: str = "",
                      expected_version: int | None = None) -> Move:
    """Leaves the community: no household any more, still findable in the ledger with their history."""
    resident = _resident_for_change(actor, resident_id, expected_version)
    if resident.status != ResidentStatus.LIVING:
        raise ValidationError(_("该居民已不在住，不能再办理迁出。"))
    household = _leave_household(resident)
    move = Move.objects.create(resident=resident, kind=MoveKind.OUT, date=date, from_household=household,
                               from_text=str(household or ""), to_text=to_text, reason=reason,
                               place_code=resident.place_code, recorded_by=_person(actor))
    resident.household, resident.status = None, ResidentStatus.MOVED_OUT
    save_changed(resident, ["household", "status"])
    _end_current_tags(resident, date)
    audit_record(actor=actor, action="resident.move_out", obj=resident,
                 changes={"date": date, "to": to_text, "reason": reason})
    return move


@transaction.atomic
def resident_move_to(*, actor, resident_id: int, household_id: int, date: datetime.date,
                     relation: str = Relation.OTHER, from_text: str = "", reason: str = "") -> Move:
    """Moves a resident into a household: within the community, or back in after having moved out."""
    resident = _resident_for_change(actor, resident_id)
    target = _household_for_change(actor, household_id)
    if resident.status == ResidentStatus.DECEASED:
        raise ValidationError(_("该居民已故。"))
    if relation not in Relation.values:
        raise ValidationError(fields={"relation": [_("与户主关系不正确。")]})
    if resident.household_id == target.pk:
        raise ValidationError(fields={"household": [_("该居民已在此户。")]})
    kind = MoveKind.WITHIN if resident.status == ResidentStatus.LIVING else MoveKind.IN
    source = _leave_household(resident) if kind == MoveKind.WITHIN else None
    move = Move.objects.create(resident=resident, kind=kind, date=date, from_household=source, to_household=target,
                               from_text=str(source) if source else from_text, to_text=str(target), reason=reason,
                               place_code=target.place_code, recorded_by=_person(actor))
    resident.household, resident.place_code, resident.relation = target, target.place_code, relation
    resident.status = ResidentStatus.LIVING
    save_changed(resident, ["household", "place_code", "relation", "status"])
    resident.tags.update(place_code=target.place_code)
    if not target.is_active:
        target.is_active = True
        save_changed(target, ["is_active"])
    if relation == Relation.HEAD and target.head_id is None:
        target.head = resident
        save_changed(target, ["head"])
    audit_record(actor=actor, action=f"resident.move_{kind}", obj=resident,
                 changes={"date": date, "from": move.from_text, "to": move.to_text, "reason": reason})
    return move


@transaction.atomic
def resident_mark_deceased(*, actor, resident_id: int, date: datetime.date, expected_version: int | None = None
                           ) -> Resident:
    resident = _resident_for_change(actor, resident_id, expected_version)
    if resident.status == ResidentStatus.DECEASED:
        raise ValidationError(_("该居民已登记为已故。"))
    _leave_household(resident)
    resident.household, resident.status = None, ResidentStatus.DECEASED
    save_changed(resident, ["household", "status"])
    _end_current_tags(resident, date)
    audit_record(actor=actor, action="resident.deceased", obj=resident, changes={"date": date})
    return resident


# --- care tags --------------------------------------------------------------------------------------

@transaction.atomic
def resident_tag_add(*, actor, resident_id: int, tag_id: int, start_date: datetime.date,
                     end_date: datetime.date | None = None, note: str = "") -> ResidentTag:
    resident = _resident_for_change(actor, resident_id)
    tag = CareTag.objects.filter(pk=tag_id, is_active=True).first()
    if tag is None:
        raise ValidationError(fields={"tag": [_("请选择标签。")]})
    if end_date and end_date < start_date:
        raise ValidationError(fields={"end_date": [_("结束日期不能早于开始日期。")]})
    overlapping = resident.tags.filter(tag=tag).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise ValidationError(fields={"tag": [_("该居民在这段时间已有此标签。")]})
    resident_tag = ResidentTag.objects.create(resident=resident, tag=tag, start_date=start_date, end_date=end_date,
                                              note=note, place_code=resident.place_code)
    audit_record(actor=actor, action="resident.tag_add", obj=resident,
                 changes={"tag": tag.name, "start_date": start_date, "end_date": end_date})
    return resident_tag


@transaction.atomic
def resident_tag_end(*, actor, resident_tag_id: int, end_date: datetime.date) -> ResidentTag:
    resident_tag = ResidentTag.objects.select_related("tag", "resident").filter(pk=resident_tag_id).first()
    if resident_tag is None:
        raise NotFound()
    resident = _resident_for_change(actor, resident_tag.resident_id)
    if end_date < resident_tag.start_date:
        raise ValidationError(fields={"end_date": [_("结束日期不能早于开始日期。")]})
    before = snapshot(resident_tag, ("end_date",))
    resident_tag.end_date = end_date
    save_changed(resident_tag, ["end_date"])
    audit_record(actor=actor, action="resident.tag_end", obj=resident,
                 changes={"tag": resident_tag.tag.name, **diff(before, snapshot(resident_tag, ("end_date",)))})
    return resident_tag
