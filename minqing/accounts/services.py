"""Every write to accounts, partner units and role assignments."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minqing.core.audit import audit_record
from minqing.core.errors import ValidationError

from .models import PartnerUnit, Role, RoleAssignment, User
from .policy import ensure_can, forget_grants


@transaction.atomic
def user_create(*, actor, username: str, password: str, display_name: str = "") -> User:
    ensure_can(actor, "accounts.manage", None)
    if User.objects.filter(username=username).exists():
        raise ValidationError(fields={"username": [_("该用户名已被使用。")]})
    user = User(username=username, display_name=display_name)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(fields={"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, changes={"username": username})
    return user


@transaction.atomic
def user_change_password(*, actor, user: User, old_password: str, new_password: str) -> User:
    """Users change their own password; the old one is required so a borrowed session cannot."""
    if actor.pk != user.pk:
        ensure_can(actor, "accounts.manage", None)
    if not user.check_password(old_password):
        raise ValidationError(fields={"old_password": [_("原密码不正确。")]})
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise ValidationError(fields={"new_password": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.change_password", obj=user)
    return user


@transaction.atomic
def partner_unit_create(*, actor, name: str, kind: str, service_area, **details) -> PartnerUnit:
    ensure_can(actor, "accounts.manage", service_area.code)
    unit = PartnerUnit.objects.create(name=name, kind=kind, service_area=service_area, **details)
    audit_record(actor=actor, action="partner_unit.create", obj=unit, changes={"name": name, "kind": kind})
    return unit


@transaction.atomic
def role_assign(*, actor, user: User, role: str, place, partner_unit: PartnerUnit | None = None) -> RoleAssignment:
    ensure_can(actor, "accounts.manage", place.code)
    _check_unit(role, partner_unit)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, place=place, defaults={"partner_unit": partner_unit},
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="role.assign", obj=assignment,
                 changes={"user": user.username, "role": role, "place": place.code})
    forget_grants(user)
    return assignment


def _check_unit(role: str, partner_unit: PartnerUnit | None) -> None:
    if role == Role.PARTNER_UNIT and partner_unit is None:
        raise ValidationError(fields={"partner_unit": [_("协办单位角色必须指定单位。")]})


@transaction.atomic
def role_change(*, actor, assignment: RoleAssignment, role: str, place,
                partner_unit: PartnerUnit | None = None) -> RoleAssignment:
    """修改角色: another role, place or unit for the same grant (its history stays on one row). The
    actor manages both the old place and the new; the audit row holds each change as [before, after]."""
    stored = RoleAssignment.objects.select_for_update(of=("self",)).select_related(
        "place", "partner_unit", "user").get(pk=assignment.pk)
    ensure_can(actor, "accounts.manage", stored.place.code)
    ensure_can(actor, "accounts.manage", place.code)
    _check_unit(role, partner_unit)
    partner_unit = partner_unit if role == Role.PARTNER_UNIT else None
    if RoleAssignment.objects.filter(user=stored.user, role=role, place=place).exclude(pk=stored.pk).exists():
        raise ValidationError(fields={"role": [_("该用户在此范围已有这一角色。")]})
    before = {"role": stored.role, "place": stored.place.code, "partner_unit": str(stored.partner_unit or "")}
    stored.role, stored.place, stored.partner_unit = role, place, partner_unit
    stored.save(update_fields=["role", "place", "partner_unit", "updated_at"])
    after = {"role": role, "place": place.code, "partner_unit": str(partner_unit or "")}
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changes:
        audit_record(actor=actor, action="role.change", obj=stored, changes=changes)
    forget_grants(stored.user)
    return stored


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """撤销: the grant is kept, inactive (who held what, and when, stays readable); never deleted."""
    ensure_can(actor, "accounts.manage", assignment.place.code)
    if not assignment.is_active:
        return assignment  # already revoked: nothing to record twice
    assignment.is_active = False
    assignment.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="role.revoke", obj=assignment, changes={"is_active": [True, False]})
    forget_grants(assignment.user)
    return assignment
