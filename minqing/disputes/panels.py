"""The disputes panel on the home page: overdue, open, agreements due a follow-up, silent grids."""
from .figures import settlement_summary
from .selectors import agreements_due_follow_up, dispute_list, silent_grids


def home_panel_context(request) -> dict:
    disputes = dispute_list(actor=request.user)
    return {
        "overdue": disputes.overdue().count(),
        "open": disputes.open().count(),
        "due_follow_up": agreements_due_follow_up(actor=request.user).count(),
        "silent": list(silent_grids(actor=request.user)),
        "settlement": settlement_summary(actor=request.user),
    }
