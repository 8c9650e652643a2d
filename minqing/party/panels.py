"""The party panel on the home page: the actor's members, planned sessions, edge members to contact,
members absent three times in a row — each a link to its page."""
from .figures import member_counts
from .models import SessionStatus
from .selectors import absent_streak_list, edge_list, session_list


def party_panel_context(request) -> dict:
    actor = request.user
    return {**member_counts(actor=actor),
            "planned": session_list(actor=actor, status=SessionStatus.PLANNED).count(),
            "edge": edge_list(actor=actor).filter(last_outcome__isnull=True).count(),
            "flagged": len(absent_streak_list(actor=actor))}
