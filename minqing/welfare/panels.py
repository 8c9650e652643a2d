"""The welfare panel on the home page: what waits for the actor, and flagged relatives' files."""
from minqing.core.counts import kept_count_sql, request_counts

from .models import OPEN_STATES, Status
from .selectors import application_list


def home_panel_context(request) -> dict:
    open_states = [s for s in Status if s in OPEN_STATES]

    def querysets():
        applications = application_list(actor=request.user)
        return {**{s.value: applications.filter(status=s) for s in open_states},
                "flagged_open": applications.open().flagged(),
                "verification_overdue": application_list(actor=request.user, due="verification"),
                "review_due": application_list(actor=request.user, due="review")}
    counts = request_counts(request).count_later(kept_count_sql("welfare", request.user, querysets))
    return {
        "open_counts": [(s.label, s.value, counts[s.value]) for s in open_states],
        **{name: counts[name] for name in ("flagged_open", "verification_overdue", "review_due")},
    }

