"""The disputes panel on the home page: overdue, open, agreements due a follow-up, silent grids."""
from django.core.cache import cache

from minqing.accounts.policy import scope_key
from minqing.core.counts import request_counts

from .figures import settlement_summary
from .selectors import agreements_due_follow_up, dispute_list, silent_grids

# The 90 days' settlement rate is a figure, not a to-do: it moves by a dispute at a time, so it is kept per
# scope for a few minutes (as the party and visits panels are) instead of two queries on every home view.
# The counts of what waits (overdue, open, due a follow-up) and the silent grids are always fresh.
SETTLEMENT_CACHE_SECONDS = 300


def home_panel_context(request) -> dict:
    actor = request.user
    disputes = dispute_list(actor=actor)
    return {
        **request_counts(request).count_later({"overdue": disputes.overdue(), "open": disputes.open(),
                     "due_follow_up": agreements_due_follow_up(actor=actor)}),
        "silent": list(silent_grids(actor=actor)),
        "settlement": cache.get_or_set(f"disputes:settlement-panel:{scope_key(actor, 'dispute.view')}",
                                       lambda: settlement_summary(actor=actor), SETTLEMENT_CACHE_SECONDS),
    }
