"""Early warning's figures on the disputes figures page (registered in apps.py)."""
from django.db.models import F
from django.utils import timezone

from minqing.accounts.policy import scope_q

from .models import Alert


def alert_figures(figures, actor, place_code: str | None, low, high) -> None:
    alerts = Alert.objects.filter(scope_q(actor, "alert.view"), created_at__gte=low, created_at__lt=high)
    if place_code:
        alerts = alerts.filter(place__code__startswith=place_code)
    figures.alerts_raised = alerts.count()
    handled = alerts.filter(handled_at__isnull=False)
    figures.alerts_handled = handled.count()
    figures.alerts_handled_in_time = handled.filter(handled_at__lte=F("due_at")).count()
    figures.alerts_decided = figures.alerts_handled + alerts.filter(handled_at__isnull=True,
                                                                     due_at__lt=timezone.now()).count()
