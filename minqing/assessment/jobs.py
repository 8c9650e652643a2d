"""The scheduled job: keep open schemes' scores current (hourly), so rankings are read, never computed."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from minqing.core.changes import object_update

from .models import Scheme, SchemeStatus
from .scoring import totals_of

RECOMPUTE_EVERY = datetime.timedelta(hours=1)


def open_schemes_compute(now: datetime.datetime) -> str:
    from .services import _replace_scores

    due = Scheme.objects.filter(Q(computed_at__isnull=True) | Q(computed_at__lt=now - RECOMPUTE_EVERY),
                                status=SchemeStatus.OPEN).select_related("street", "created_by")
    done = 0
    for scheme in due:
        with transaction.atomic():
            before = totals_of(scheme)
            # actor=None: the audit trail labels the row 系统 (core/audit.py). Reads go through the selectors with the scheme's author as the reader: the scores
            # cover exactly what the street that defined the scheme can see.
            totals = _replace_scores(scheme.created_by, scheme)
            object_update(scheme, actor=None, action="assessment.scheme.compute", changes={"computed_at": now},
                          payload={"totals": [before, totals]})
        done += 1
    return f"computed {done} schemes"
