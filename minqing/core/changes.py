"""Audited writes that are not state moves: create a record, change some of its fields.

Every service that is not a transition (those go through `core.transitions.transition`) writes
with these two, so each write leaves exactly one audit row in the one shape ({field: [old, new]}):

    member = object_create(PartyMember(resident=…, branch=…), actor=actor, action="party.member.create")
    object_update(member, actor=actor, action="party.member.change", changes={"status": "retired"})

Scope and validation are the service's job before calling; these only save and record.
"""
from __future__ import annotations

from django.db import models

from .audit import _plain, audit_record
from .concurrency import save_changed


def object_create(obj: models.Model, *, actor, action: str, payload: dict | None = None,
                  fields: tuple[str, ...] = ()) -> models.Model:
    """Save a new object and write one audit row listing `fields` (default: its concrete, non-empty
    local fields) as [None, value]."""
    obj.save(force_insert=True)
    names = fields or tuple(f.name for f in obj._meta.concrete_fields
                            if not f.primary_key and f.name not in ("created_at", "updated_at", "version"))
    values = {}
    for name in names:
        value = getattr(obj, name)
        if value not in (None, "", [], {}):
            values[name] = [None, _plain(value)]
    audit_record(actor=actor, action=action, obj=obj, changes=values, payload=payload)
    return obj


def object_update(obj: models.Model, *, actor, action: str, changes: dict, payload: dict | None = None):
    """Set `changes` (field → new value) on a locked object, save the fields that really changed
    (bumping the version) and write one audit row of them. Returns the audit row, or None when
    nothing changed (a resubmitted form is not a change)."""
    diff = {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if _plain(old) != _plain(value):
            diff[name] = [_plain(old), _plain(value)]
            setattr(obj, name, value)
    if not diff and not payload:
        return None
    if diff:
        if hasattr(obj, "version"):
            save_changed(obj, sorted(diff))
        else:
            obj.save(update_fields=sorted(diff))
    return audit_record(actor=actor, action=action, obj=obj, changes=diff, payload=payload)
