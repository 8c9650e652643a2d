"""State machines as data, one shape for every app: a table `(state, verb) → state` that refuses
whatever it does not list, and one `transition()` that checks, saves and records a move.

An app declares its machine once, beside its model:

    DISPUTE = TransitionTable(
        name="dispute", noun=_("纠纷"), states=Status, verbs=Verb,
        moves={(Status.REPORTED, Verb.ACCEPT): Status.ACCEPTED, …},
    )

and each service (which has already locked the row and checked the actor's right) calls

    transition(dispute, table=DISPUTE, verb=Verb.ACCEPT, actor=actor,
               changes={"deadline": deadline}, payload={"reason": reason})

which refuses a move the table does not list (TransitionNotAllowed, naming the current state),
sets the state and the changed fields, saves exactly those fields (bumping the version), writes one
audit row `{"status": [from, to], field: [old, new], payload…: [None, value]}` with action
"<name>.<verb>" (or the verb's `recorded_as` name), and calls the hooks registered with `TABLE.on_recorded`, where an object keeps a timeline of its
own (a demand's events, a household's timeline). A verb whose outcome depends on a decision is two
verbs (appraise_pass / appraise_fail), so the table alone says where each verb leads.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from . import appends
from .audit import _plain, audit_record
from .concurrency import save_changed
from .errors import TransitionNotAllowed


@dataclass(frozen=True)
class Move:
    """What the `recorded` hook is told about one move."""

    obj: models.Model
    verb: str
    from_state: str
    to_state: str
    actor: object
    note: str
    at: datetime.datetime | None
    changes: dict


@dataclass(frozen=True)
class TransitionTable:
    name: str                                # the audit action prefix: "appeal", "dispute", "party.meeting"
    moves: Mapping[tuple[str, str], str]     # (state, verb) → state; anything not listed is refused
    states: type[models.TextChoices] | None = None
    verbs: type[models.TextChoices] | Mapping[str, str] | None = None
    noun: str = ""                           # for messages: 诉求, 纠纷 …
    state_field: str = "status"
    # A verb split by outcome (follow_up / follow_up_reopen) may be recorded — audit action, timeline —
    # under the name of the decision people know: {"follow_up_reopen": "follow_up"}.
    recorded_as: Mapping[str, str] = field(default_factory=dict, compare=False)
    # Called after each move, in the transaction: the object's own timeline, a dashboard mark.
    # Registered by the app that owns them (`TABLE.on_recorded(func)`), so models.py stays imports-free.
    hooks: list[Callable[[Move], None]] = field(default_factory=list, compare=False, repr=False)

    def on_recorded(self, func: Callable[[Move], None]) -> Callable[[Move], None]:
        if func not in self.hooks:
            self.hooks.append(func)
        return func

    def record(self, move: Move) -> None:
        """Run the hooks for one move. `transition()` calls it; so does a service that records a
        timeline entry which is not a state move (a demand's submission, an overdue mark)."""
        for hook in self.hooks:
            hook(move)

    def recorded_verb(self, verb: str) -> str:
        return self.recorded_as.get(verb, verb)

    def target(self, state: str, verb: str) -> str | None:
        return self.moves.get((state, verb))

    def verbs_from(self, state: str) -> list[str]:
        """The verbs allowed from `state`, in the table's order (forms show one per verb)."""
        return [verb for (source, verb) in self.moves if source == state]

    def can(self, obj: models.Model, verb: str) -> bool:
        return (getattr(obj, self.state_field), verb) in self.moves

    def state_label(self, state: str) -> str:
        return str(self.states(state).label) if self.states and state in self.states.values else state

    def verb_label(self, verb: str) -> str:
        if self.verbs is None:
            return verb
        if isinstance(self.verbs, Mapping):
            return str(self.verbs.get(verb, verb))
        return str(self.verbs(verb).label) if verb in self.verbs.values else verb

    def check(self, obj: models.Model, verb: str) -> str:
        """The state `verb` leads to from the object's state, or TransitionNotAllowed."""
        state = getattr(obj, self.state_field)
        to_state = self.target(state, verb)
        if to_state is None:
            raise TransitionNotAllowed(_("%(noun)s当前为“%(state)s”，不能%(verb)s。") % {
                "noun": self.noun, "state": self.state_label(state), "verb": self.verb_label(verb)})
        return to_state


def transition(obj: models.Model, *, table: TransitionTable, verb: str, actor, changes: dict | None = None,
               payload: dict | None = None, note: str = "", at: datetime.datetime | None = None,
               action: str | None = None):
    """Move `obj` by `verb`: check, set, save the changed fields, one audit row, the timeline hook.

    Call inside the service's transaction, after locking the row (`lock_for_change`) and checking the
    actor's right. `changes` maps field → new value; the audit row shows each as [old, new].
    Returns the audit row.
    """
    from_state = getattr(obj, table.state_field)
    to_state = table.check(obj, verb)
    before = {name: _plain(getattr(obj, name)) for name in (changes or {})}
    setattr(obj, table.state_field, to_state)
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    save_changed(obj, sorted({table.state_field, *(changes or {})}))
    diff = {table.state_field: [from_state, to_state]}
    diff.update({name: [before[name], _plain(getattr(obj, name))] for name in (changes or {})
                 if before[name] != _plain(getattr(obj, name))})
    move = Move(obj=obj, verb=verb, from_state=from_state, to_state=to_state, actor=actor, note=note, at=at,
                changes=diff)
    with appends.joined():  # the hooks' rows (timeline, dashboard mark) and the audit row in one statement
        table.record(move)
        # the audit row after the hooks: from its append to the commit the audit chain's head row is locked and
        # every other write in the city waits for it, so the lock should cover as little work as possible
        return audit_record(actor=actor, action=action or f"{table.name}.{table.recorded_verb(verb)}", obj=obj,
                            changes=diff, payload=payload)
