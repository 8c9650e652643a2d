"""The early-warning panel on the home page of street and community staff."""
from django.db.models import Count

from .models import Status
from .selectors import alert_list


def home_panel_context(request) -> dict:
    alerts = alert_list(actor=request.user, open_only=True)
    counts = dict(alerts.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "alerts": list(alerts.exclude(status=Status.HANDLED)[:6]),
        "new_count": counts.get(Status.NEW, 0),
        "open_count": sum(counts.values()),
    }
