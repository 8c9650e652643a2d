"""A demand's timeline: one AppealEvent per recorded move of the APPEAL table.

`timeline_write` is registered with `APPEAL.on_recorded` (apps.py), so the event is written by the one
`core.transitions.transition()` that also writes the audit row — a service never writes either by hand.
What is not a state move but belongs on the timeline (submission, an overdue mark, a supervision
answer) goes through `appeal_note`, which runs the same hooks (and so the dashboard's mark too).
"""
from __future__ import annotations

from minqing.core import clock
from minqing.core.appends import rows_append
from minqing.core.transitions import Move

from .models import APPEAL, Appeal, AppealEvent

RESIDENT = "居民"  # the actor label for a resident on the public pages
SYSTEM = "系统"

# Staff-only entries: residents do not see them on the tracking page.
INTERNAL_VERBS = frozenset({"return", "supervise", "supervision_answer", "link", "overdue"})


def actor_label(actor) -> str:
    if actor is None:
        return RESIDENT
    if isinstance(actor, str):
        return actor
    return actor.get_full_name()


def audit_actor(actor):
    """The user, or the label the audit trail shows for a resident or the system."""
    return actor if actor is not None and not isinstance(actor, str) else actor_label(actor)


def recorded_verb(verb: str) -> str:
    """The timeline's name for a table verb (follow_up_reopen is recorded as follow_up)."""
    return APPEAL.recorded_verb(verb)


def timeline_write(move: Move) -> None:
    actor = move.actor if move.actor is not None and not isinstance(move.actor, str) else None
    verb = recorded_verb(move.verb)
    rows_append([AppealEvent(appeal=move.obj, verb=verb, from_status=move.from_state, to_status=move.to_state,
                             actor=actor, actor_label=actor_label(move.actor), note=move.note,
                             is_public=verb not in INTERNAL_VERBS, at=move.at or clock.now())])


def appeal_note(appeal: Appeal, *, verb: str, actor, note: str = "", at=None, from_status: str | None = None) -> None:
    """A timeline entry that moves nothing (the caller writes its own audit row)."""
    APPEAL.record(Move(obj=appeal, verb=verb, from_state=appeal.status if from_status is None else from_status,
                       to_state=appeal.status, actor=audit_actor(actor), note=note, at=at, changes={}))
