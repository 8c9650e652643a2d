"""Every read of early warning, within the actor's scope."""
from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from minqing.accounts.policy import ensure_can, scope_q
from minqing.appeals.selectors import appeal_list
from minqing.core.errors import NotFound

from .models import LEVEL_RANK, Alert

_LEVEL_ORDER = Case(*[When(level=lvl, then=Value(rank)) for lvl, rank in LEVEL_RANK.items()],
                    output_field=IntegerField())


def alert_list(*, actor, status: str | None = None, open_only: bool = False, rule: str | None = None,
               place_code: str | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(scope_q(actor, "alert.view")).select_related("place", "owner", "dispute")
    if open_only:
        alerts = alerts.open()
    if status:
        alerts = alerts.filter(status=status)
    if rule:
        alerts = alerts.filter(rule=rule)
    if place_code:
        alerts = alerts.filter(place__code__startswith=place_code)
    return alerts.annotate(level_order=_LEVEL_ORDER).order_by("-level_order", "-created_at")


def alert_get(*, actor, alert_id: int) -> Alert:
    alert = Alert.objects.select_related("place", "owner", "dispute", "handled_by").filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    ensure_can(actor, "alert.view", alert.place.code)
    return alert


def alert_evidence(*, actor, alert: Alert) -> dict:
    """The demands and disputes an alert names, as far as the actor may see them."""
    
    from minqing.disputes.selectors import dispute_list

    disputes = dispute_list(actor=actor).filter(pk__in=alert.evidence.get("disputes", []))
    found = {"appeals": [], "disputes": list(disputes)}
    if alert.evidence.get("appeals"):
        found["appeals"] = list(appeal_list(actor=actor).filter(pk__in=alert.evidence["appeals"])
                                .select_related("resident").order_by("submitted_at"))
    return found


def alert_changes(*, alert: Alert) -> list[tuple]:
    """The alert's growth and escalations, oldest first: (when, "预警升级：7 人 → 10 人，橙色 → 红色")."""
    from minqing.core.models import AuditEntry

    from .services import change_line

    rows = AuditEntry.objects.for_object(alert).filter(action__in=("alert.grow", "alert.escalate")).order_by("id")
    return [(row.created_at, change_line(row.changes)) for row in rows]
