"""The disputes panel on the home page: overdue, open, agreements due a follow-up, silent grids."""
from minqing.accounts.navigation import kept_counts
from minqing.core.counts import kept_count_sql, request_counts

from .figures import DisputeFigures, last_days, settlement_querysets
from .selectors import agreements_due_follow_up, dispute_list, silent_grids

# The 90 days' settlement rate is a figure, not a to-do: it moves by a dispute at a time, so it is kept per
# scope (as the party and visits panels are), counted on a miss with the page's other counts. The counts of
# what waits (overdue, open, due a follow-up) and the silent grids are always fresh.


SETTLEMENT_DAYS = 90  # the panel's settlement rate: "近90天"
SILENT_SHOWN = 8  # silent grids named on the panel; the count says how many there are in all


def home_panel_context(request) -> dict:
    actor = request.user
    disputes = dispute_list(actor=actor)
    silent = silent_grids(actor=actor)
    return {
        # counted with the other home panels' figures; a street's or the city's silent grids (hundreds, at
        # the start of a week) were read whole with their parents to show eight names (issue 19)
        **request_counts(request).count_later(kept_count_sql("disputes", actor, lambda: {
            "overdue": disputes.overdue(), "open": disputes.open(),
            "due_follow_up": agreements_due_follow_up(actor=actor), "silent_count": silent})),
        "silent": list(silent.select_related(None).only("name").order_by("code")[:SILENT_SHOWN]),
        "settlement": _settlement(request),
    }


def _settlement(request) -> DisputeFigures:
    counts = kept_counts(request, "disputes-settlement", "dispute.view",
                         lambda: settlement_querysets(actor=request.user, days=SETTLEMENT_DAYS))
    start, end = last_days(SETTLEMENT_DAYS)
    return DisputeFigures(start=start, end=end, accepted=counts["accepted"], settled=counts["settled"],
                          settled_within_month=counts["within"])
