"""The party panel on the home page: the actor's members, planned sessions, edge members to contact,
members absent three times in a row — each a link to its page."""
from minqing.accounts.navigation import kept_per_scope
from minqing.core.counts import count_all

from .models import Category, Relation, SessionStatus
from .selectors import VIEW, absent_streak_count, edge_list, member_list, session_list


# A reminder, not a ledger: like the visits panel, the counts are kept for a few minutes so the home page
# does not walk a community's attendance history on every visit. They depend only on where the actor sees
# party work, so they are kept per scope: a community's staff share one count. The pages are always fresh.
def party_panel_context(request) -> dict:
    actor = request.user
    return kept_per_scope("party", actor, VIEW, lambda: _counts(actor))


def _counts(actor) -> dict:
    members = member_list(actor=actor)
    return {**count_all({  # one round trip for the five counts
        "total": members, "floating": members.filter(relation=Relation.ELSEWHERE),
        "probationary": members.filter(category=Category.PROBATIONARY),
        "planned": session_list(actor=actor, status=SessionStatus.PLANNED),
        "edge": edge_list(actor=actor).filter(last_outcome__isnull=True)}),
        "flagged": absent_streak_count(actor=actor)}
