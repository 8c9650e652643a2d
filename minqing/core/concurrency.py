"""Optimistic concurrency on top of row locks: one of two simultaneous edits wins, the other is told.

A form carries the `version` it was rendered with. The service locks the row, compares, and refuses
with Conflict if someone saved in between; the view re-shows the user's input with the message.
"""
from django.db import models
from django.db.models import F

from .errors import Conflict, NotFound


def lock_for_change(queryset: models.QuerySet, *, pk, expected_version: int | None = None):
    """Lock one row for the rest of the transaction and check it is still the version the user saw."""
    try:
        obj = queryset.select_for_update().get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise NotFound() from exc
    if expected_version is not None and obj.version != int(expected_version):
        raise Conflict()
    return obj


def save_changed(obj: models.Model, fields: list[str]) -> None:
    """Save exactly `fields` and bump the version, so a stale form elsewhere is detected."""
    obj.version = F("version") + 1
    obj.save(update_fields=[*fields, "version", "updated_at"])
    obj.refresh_from_db(fields=["version"])
