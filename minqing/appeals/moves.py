"""The machinery every demand verb shares: the right to act, the row lock, the move, notices on commit.

services.py, linking.py and supervision.py all build on this module (none imports another), so the
verbs' modules form no import circle.
"""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from minqing.accounts.models import Role
from minqing.accounts.policy import ROLE_PERMISSIONS, ensure_can, partner_unit_ids
from minqing.core import clock
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import ValidationError
from minqing.core.transitions import transition

from .events import audit_actor
from .models import APPEAL, Appeal

# The permission each verb needs at the demand's place (partner units: on what was sent to them).
VERB_PERMS = {
    "accept": "appeal.accept", "reject": "appeal.accept", "dispatch": "appeal.dispatch", "start": "appeal.reply",
    "return": "appeal.reply", "reply": "appeal.reply", "follow_up": "appeal.follow_up",
    "close": "appeal.follow_up", "reopen": "appeal.follow_up", "supervise": "appeal.supervise",
    "link": "appeal.accept", "merge": "appeal.accept",
}


# --- the machinery every verb shares ------------------------------------------------------------

def appeal_ensure(actor, perm: str, appeal: Appeal) -> None:
    """The right to `perm` on this demand: by place, or as the partner unit it was sent to."""
    if (appeal.handler_unit_id and appeal.handler_unit_id in partner_unit_ids(actor)
            and perm in ROLE_PERMISSIONS[Role.PARTNER_UNIT]):
        return
    ensure_can(actor, perm, appeal.place_code)


def lock_appeal(appeal_id: int, expected_version: int | None) -> Appeal:
    return lock_for_change(Appeal.objects.all(), pk=appeal_id, expected_version=expected_version)


def move(appeal: Appeal, verb: str, *, actor, changes: dict | None = None, payload: dict | None = None,
         note: str = "", at: datetime.datetime | None = None) -> None:
    """The APPEAL table's move: save, one audit row, the timeline event and the dashboard mark (hooks)."""
    transition(appeal, table=APPEAL, verb=verb, actor=audit_actor(actor), changes=changes, payload=payload,
               note=note, at=at)


def on_commit(func, *args, **kwargs) -> None:
    """Notices after the commit, as of the move's moment (a replayed past sends nothing: core.clock)."""
    clock.on_commit(func, *args, **kwargs)


def _required(**values) -> None:
    missing = {name: [_("此项为必填项。")] for name, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationError(fields=missing)


