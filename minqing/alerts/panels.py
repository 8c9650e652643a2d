"""The early-warning panel on the home page of street and community staff."""
from minqing.core.counts import kept_count_sql, request_counts

from .models import Status
from .selectors import alert_list


def home_panel_context(request) -> dict:
    alerts = alert_list(actor=request.user, open_only=True)
    counts = request_counts(request).count_later(kept_count_sql("alerts", request.user, lambda: {
        "new_count": alerts.filter(status=Status.NEW), "open_count": alerts}))
    return {"alerts": list(alerts.exclude(status=Status.HANDLED)[:6]), **counts}
