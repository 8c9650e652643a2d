"""Figures 会议与接访统计: meetings held per kind and place, what became of the opinions, receptions
per leader — all over a period and within the actor's scope."""
from __future__ import annotations

import datetime

from django.db.models import Count, Q

from minqing.accounts.policy import scope_q
from minqing.core.dates import days_q

from .models import HELD_STATUSES, Meeting, MeetingKind, Opinion, ReceptionDay, ReceptionStatus
from .selectors import VIEW, opinion_figures


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def meeting_figures(*, actor, start: datetime.date, end: datetime.date, place_code: str = "") -> dict:
    meetings = Meeting.objects.filter(scope_q(actor, VIEW, field="place_code"), days_q("starts_at", start, end),
                                      status__in=HELD_STATUSES, place_code__startswith=place_code)
    rows = meetings.values("place__name", "kind").annotate(n=Count("id")).order_by("place__name", "kind")
    by_place: dict[str, dict] = {}
    for row in rows:
        by_place.setdefault(row["place__name"], {k: 0 for k in MeetingKind.values})[row["kind"]] = row["n"]
    opinions = Opinion.objects.filter(Q(meeting__in=meetings) | Q(reception__in=_receptions(actor, start, end, place_code)))
    figures = opinion_figures(opinions)
    figures["answered_share"] = _share(figures["answered"], figures["raised"])
    figures["resolved_share"] = _share(figures["resolved"], figures["raised"])
    figures["reported_share"] = _share(figures["reported_back"], figures["due_report"])
    leaders = (_receptions(actor, start, end, place_code).values("leader__display_name", "leader__username")
               .annotate(n=Count("id", distinct=True), requests=Count("opinions")).order_by("-n"))
    return {"kinds": MeetingKind.choices, "by_place": by_place, "total": meetings.count(),
            "opinions": figures, "leaders": list(leaders)}


def _receptions(actor, start, end, place_code):
    return ReceptionDay.objects.filter(scope_q(actor, VIEW, field="place_code"), place_code__startswith=place_code,
                                       status=ReceptionStatus.HELD, day__gte=start, day__lte=end)
