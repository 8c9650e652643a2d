"""The disputes panel on the home page: overdue, open, agreements due a follow-up, silent grids."""
from minqing.accounts.navigation import kept_per_scope
from minqing.core.counts import request_counts

from .figures import settlement_summary
from .selectors import agreements_due_follow_up, dispute_list, silent_grids

# The 90 days' settlement rate is a figure, not a to-do: it moves by a dispute at a time, so it is kept per
# scope (as the party and visits panels are) instead of two queries on every home view. The counts of what
# waits (overdue, open, due a follow-up) and the silent grids are always fresh.


def home_panel_context(request) -> dict:
    actor = request.user
    disputes = dispute_list(actor=actor)
    return {
        **request_counts(request).count_later({"overdue": disputes.overdue(), "open": disputes.open(),
                     "due_follow_up": agreements_due_follow_up(actor=actor)}),
        "silent": list(silent_grids(actor=actor)),
        "settlement": kept_per_scope("disputes-settlement", actor, "dispute.view",
                                     lambda: settlement_summary(actor=actor)),
    }
