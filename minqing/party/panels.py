"""The party panel on the home page: the actor's members, planned sessions, edge members to contact,
members absent three times in a row — each a link to its page."""
from django.core.cache import cache

from .figures import member_counts
from .models import SessionStatus
from .selectors import absent_streak_list, edge_list, session_list


# A reminder, not a ledger: like the visits panel, each actor's counts are kept for a few minutes so the
# home page does not walk a community's attendance history on every visit. The pages are always fresh.
PANEL_CACHE_SECONDS = 300


def party_panel_context(request) -> dict:
    actor = request.user
    key = f"party:panel:{actor.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = {**member_counts(actor=actor),
                  "planned": session_list(actor=actor, status=SessionStatus.PLANNED).count(),
                  "edge": edge_list(actor=actor).filter(last_outcome__isnull=True).count(),
                  "flagged": len(absent_streak_list(actor=actor))}
        cache.set(key, counts, PANEL_CACHE_SECONDS)
    return counts
