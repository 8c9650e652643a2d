"""The hook the appeals services call for every change to a demand: mark the demand's cohort day
for recomputation, in the same transaction as the change (so the mark commits or rolls back with it)."""
from __future__ import annotations

from django.utils import timezone

from minqing.core.appends import rows_append

from .models import RollupDirtyDay


def rollup_mark_dirty(*appeals) -> None:
    """Called with the changed demand(s); cheap — one INSERT, no lock, no unique key to contend on."""
    days = {timezone.localdate(a.submitted_at) for a in appeals if a is not None and a.submitted_at}
    rows_append([RollupDirtyDay(day=day) for day in sorted(days)])
