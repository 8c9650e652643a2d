"""The visits panel on the home page: how many households are overdue or due soon for the actor."""
from django.utils import timezone

from minqing.accounts.navigation import kept_per_scope

from .plans import due_counts

# The counts are a reminder, not a ledger: recomputing them for thousands of households on every
# visit to the home page cost ~200 ms of CPU at city scale (bench/results/city-1m.md), so the counts are
# kept for a few minutes, per scope (they depend only on the households the actor may visit: a community's
# staff share one count). The to-do page itself is always computed fresh.
def due_panel_context(request) -> dict:
    today = timezone.localdate()
    return kept_per_scope("visits-due", request.user, "visit.view", lambda: due_counts(actor=request.user, today=today),
                          part=today.isoformat())
