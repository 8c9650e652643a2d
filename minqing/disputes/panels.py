"""The disputes panel on the home page: overdue, open, agreements due a follow-up, silent grids."""
from minqing.core.counts import request_counts

from .figures import settlement_summary
from .selectors import agreements_due_follow_up, dispute_list, silent_grids


def home_panel_context(request) -> dict:
    disputes = dispute_list(actor=request.user)
    return {
        **request_counts(request).count_later({"overdue": disputes.overdue(), "open": disputes.open(),
                     "due_follow_up": agreements_due_follow_up(actor=request.user)}),
        "silent": list(silent_grids(actor=request.user)),
        "settlement": settlement_summary(actor=request.user),
    }
