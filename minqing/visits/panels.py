"""The visits panel on the home page: how many households are overdue or due soon for the actor."""
from django.core.cache import cache
from django.utils import timezone

from minqing.accounts.policy import scope_key

from .plans import due_counts

# The counts are a reminder, not a ledger: recomputing them for thousands of households on every
# visit to the home page cost ~200 ms of CPU at city scale (bench/results/city-1m.md), so the counts are
# kept for a few minutes, per scope (they depend only on the households the actor may visit: a community's
# staff share one count). The to-do page itself is always computed fresh.
PANEL_CACHE_SECONDS = 300


def due_panel_context(request) -> dict:
    today = timezone.localdate()
    return cache.get_or_set(f"visits:due-panel:{scope_key(request.user, 'visit.view')}:{today.isoformat()}",
                            lambda: due_counts(actor=request.user, today=today), PANEL_CACHE_SECONDS)
