"""The welfare panel on the home page: what waits for the actor, and flagged relatives' files."""
from django.db.models import Count

from minqing.core.counts import count_all

from .models import OPEN_STATES, Status
from .selectors import application_list


def home_panel_context(request) -> dict:
    applications = application_list(actor=request.user)
    counts = dict(applications.filter(status__in=OPEN_STATES).values_list("status").annotate(n=Count("id")))
    return {
        "open_counts": [(Status(s).label, s, counts.get(s, 0)) for s in Status if s in OPEN_STATES],
        **count_all({"flagged_open": applications.open().flagged(),
                     "verification_overdue": application_list(actor=request.user, due="verification"),
                     "review_due": application_list(actor=request.user, due="review")}),
    }
