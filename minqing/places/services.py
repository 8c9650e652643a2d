"""Every write to the place tree."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record, diff, snapshot
from minqing.core.concurrency import lock_for_change, save_changed
from minqing.core.errors import ValidationError

from .models import KIND_SHAPE, Place

EDITABLE_FIELDS = ("name", "kind_label", "address", "latitude", "longitude", "is_active")


def _check_code(*, kind, code: str, parent: Place | None) -> None:
    depth, length, parent_kind = KIND_SHAPE[kind]
    errors = {}
    if len(code) != length or not code.isdigit():
        errors["code"] = [_("该层级的编码应为 %(n)d 位数字。") % {"n": length}]
    if parent_kind is None and parent is not None:
        errors["parent"] = [_("区县/公司没有上级。")]
    elif parent_kind is not None and (parent is None or parent.kind != parent_kind):
        errors["parent"] = [_("上级层级不符。")]
    elif parent is not None and not code.startswith(parent.code):
        errors["code"] = [_("编码必须以上级编码 %(p)s 开头。") % {"p": parent.code}]
    if errors:
        raise ValidationError(fields=errors)


@transaction.atomic
def place_create(*, actor, kind, code: str, name: str, parent: Place | None = None, **details) -> Place:
    ensure_can(actor, "place.change", parent.code if parent else None)
    _check_code(kind=kind, code=code, parent=parent)
    place = Place(kind=kind, code=code, name=name, parent=parent, depth=KIND_SHAPE[kind][0], **details)
    try:
        place.full_clean()
    except DjangoValidationError as exc:
        raise ValidationError.from_django(exc) from exc
    place.save()
    audit_record(actor=actor, action="place.create", obj=place, changes=snapshot(place, ("kind", "code", "name")))
    return place


@transaction.atomic
def place_update(*, actor, place_id: int, expected_version: int | None = None, **changes) -> Place:
    place = lock_for_change(Place.objects.all(), pk=place_id, expected_version=expected_version)
    ensure_can(actor, "place.change", place.code)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(fields={name: [_("该字段不可修改。")] for name in unknown})
    before = snapshot(place, changes)
    for name, value in changes.items():
        setattr(place, name, value)
    try:
        place.full_clean()
    except DjangoValidationError as exc:
        raise ValidationError.from_django(exc) from exc
    changed = diff(before, snapshot(place, changes))
    if changed:
        save_changed(place, list(changed))
        audit_record(actor=actor, action="place.update", obj=place, changes=changed)
    return place
