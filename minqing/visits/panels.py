"""The visits panel on the home page: how many households are overdue or due soon for the actor."""
from django.core.cache import cache
from django.utils import timezone

from .plans import due_counts

# The counts are a reminder, not a ledger: recomputing them for thousands of households on every
# visit to the home page cost ~200 ms of CPU at city scale (bench/results/city-1m.md), so each
# actor's counts are kept for a few minutes. The to-do page itself is always computed fresh.
PANEL_CACHE_SECONDS = 300


def due_panel_context(request) -> dict:
    today = timezone.localdate()
    return cache.get_or_set(f"visits:due-panel:{request.user.pk}:{today.isoformat()}",
                            lambda: due_counts(actor=request.user, today=today), PANEL_CACHE_SECONDS)
