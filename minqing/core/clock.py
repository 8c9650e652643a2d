"""The services' notion of "now", and replaying history at the moments it happened.

Services, the audit trail and timelines ask `clock.now()` instead of `timezone.now()`. Outside a
replay it *is* `timezone.now()`. Inside `history_at(moment)` it is `moment`, so a demo (or an import
of past records) can drive the real services — the transition table, the audit row, the timeline,
working-day deadlines — as of the day each step happened, instead of writing statuses by hand:

    with history_at(submitted_at):
        appeal = appeal_submit(actor=worker, …)
    with history_at(submitted_at + timedelta(hours=2)):
        appeal_accept(actor=worker, appeal_id=appeal.pk)

A replayed past sends nothing today: `replaying()` is true inside `history_at`, and the notification
writers skip while it is (a text about last spring's demand must not reach a resident now).
Callbacks queued with `on_commit` keep the moment they were queued at. Fields Django fills itself
(`auto_now`, `auto_now_add`) still take the real time: a seam for the services, not a patch of Django.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools

from django.db import transaction
from django.utils import timezone

_moment: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar("history_moment", default=None)


def now() -> datetime.datetime:
    """The current moment: the replayed one inside `history_at`, else the real time."""
    moment = _moment.get()
    return moment if moment is not None else timezone.now()


def replaying() -> bool:
    return _moment.get() is not None


@contextlib.contextmanager
def history_at(moment: datetime.datetime):
    """Run the block as of `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("history_at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)


def _run_at(moment: datetime.datetime | None, func) -> None:
    if moment is None:
        func()
        return
    with history_at(moment):
        func()


def on_commit(func, *args, **kwargs) -> None:
    """transaction.on_commit that runs `func` as of the moment it was queued (a replayed move's notices
    run inside the replay, and so are skipped like it)."""
    transaction.on_commit(functools.partial(_run_at, _moment.get(), functools.partial(func, *args, **kwargs)))
