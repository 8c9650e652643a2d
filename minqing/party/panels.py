"""The party panel on the home page: the actor's members, planned sessions, edge members to contact,
members absent three times in a row — each a link to its page."""
from minqing.accounts.navigation import kept_counts

from .models import Category, Relation, SessionStatus
from .selectors import VIEW, absent_streak_rows, edge_list, member_list, session_list


# A reminder, not a ledger: like the visits panel, the counts are kept for a few minutes so the home page
# does not walk a community's attendance history on every visit. They depend only on where the actor sees
# party work, so they are kept per scope: a community's staff share one count. The pages are always fresh.
# The six counts go into the page's one count statement on a miss (kept_counts).
def party_panel_context(request) -> dict:
    actor = request.user
    return kept_counts(request, "party", VIEW, lambda: _counted(actor))


def _counted(actor) -> dict:
    members = member_list(actor=actor)
    return {"total": members, "floating": members.filter(relation=Relation.ELSEWHERE),
            "probationary": members.filter(category=Category.PROBATIONARY),
            "planned": session_list(actor=actor, status=SessionStatus.PLANNED),
            "edge": edge_list(actor=actor).filter(last_outcome__isnull=True),
            "flagged": absent_streak_rows(actor=actor)}
