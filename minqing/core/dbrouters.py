"""Read replicas: the dashboards and reports read from a PostgreSQL streaming replica when one is set.

Setting DATABASE_REPLICA_URL (settings/base.py) adds a "replica" database; this router is always
installed and does nothing until then. Only code that asks reads from the replica — views wrapped in
`@reads_from_replica`, or any block inside `with replica_reads():` — because a replica trails the
primary by a moment and a page that has just written must read its own write. The dashboard, its
drill-down and the monthly report ask (they read rollups and closed months, where a second of lag is
invisible); every write, every lock (select_for_update) and every other page stays on the primary.

In tests the replica is declared a MIRROR of the default database, so the same code runs.
"""
from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

REPLICA = "replica"
_replica_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("minqing_replica_wanted", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside this block go to the replica (when one is configured and no transaction is open)."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def reads_from_replica(view):
    """A view whose reads may come from the replica: read-only pages that tolerate a second of lag."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)
    return wrapped


class ReplicaRouter:
    """Writes and migrations: the primary. Reads: the replica only when asked for and configured."""

    def db_for_read(self, model, **hints):
        if _replica_wanted.get() and replica_configured() and not transaction.get_connection().in_atomic_block:
            return REPLICA
        return None  # the default database

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one data set, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a streaming replica copies the primary's schema; never migrate it
