"""Writing and reading the audit trail. Every service calls `audit_record` inside its transaction."""
from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable

from django.db import connections, models, router, transaction

from . import appends, clock
from .auditchain import GENESIS, entry_digest
from .models import AuditChainHead, AuditEntry
from .requestcontext import request_id_get


def _plain(value):
    """JSON-safe form of a field value, as it reads to a person."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The current values of `fields`, for a before/after diff. FKs read as their text, not ids."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed: {field: [old, new]}."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def as_change(value) -> list:
    """One audit shape for everything: [before, after]. A bare payload value was set from nothing."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return [_plain(value[0]), _plain(value[1])]
    return [None, _plain(value)]


def audit_record(*, actor, action: str, obj: models.Model, changes: dict | None = None,
                 payload: dict | None = None, place_code: str | None = None) -> AuditEntry:
    """Append one audit row in the one shape: `changes` = {field: [before, after]}.

    `changes` is a diff (`diff(snapshot…)`) or field → new value; `payload` holds facts that are not
    fields (a reason, a count). Both are stored as [before, after] pairs, a bare value as [None, value],
    so every app's rows read the same on every audit page."""
    if place_code is None:
        place_code = getattr(obj, "audit_place_code", "") or ""
    is_person = actor is not None and getattr(actor, "pk", None) is not None
    entry = AuditEntry(
        actor=actor if is_person else None,
        actor_label=(actor.get_full_name() or actor.get_username()) if is_person else str(actor or "系统"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        place_code=place_code,
        changes={k: as_change(v) for k, v in {**(changes or {}), **(payload or {})}.items()},
        request_id=request_id_get(),
        created_at=clock.now(),
    )
    return _append(entry)


@transaction.atomic(savepoint=False)
def _append(entry: AuditEntry) -> AuditEntry:
    """Link the row to the chain under the head's row lock, so concurrent writers queue, never fork.

    Inside the caller's transaction without a savepoint of its own (two queries less per write, issue 19):
    an append that fails leaves nothing to keep, so the whole write rolls back with it. The head itself is
    moved by a database trigger (migration 0005), on PostgreSQL once at commit, so it never gains a row
    version per audit row."""
    connection = connections[router.db_for_write(AuditChainHead)]
    with connection.cursor() as cursor:
        with appends.held(connection):  # the head cannot depend on rows queued by core.appends.joined
            head = _head_locked(cursor)
        if head is None:
            AuditChainHead.objects.get_or_create(pk=HEAD_ID, defaults={"last_hash": GENESIS, "last_entry_id": None})
            head = _head_locked(cursor)
        entry.changes = json.loads(json.dumps(entry.changes, default=str))  # hash what the database will return
        entry.prev_hash = _link_after(*head)
        entry.entry_hash = entry_digest(entry.prev_hash, entry)
        appends.rows_append([entry])  # no signals: nothing listens for audit rows (core.appends)
        # with the rows a joined write queued (one statement); at once, so the next head read sees the row
        appends.send_now(connection)
    return entry


def chain_tail_hash() -> str:
    """The hash the next appended row would follow (read, not locked): for writers outside `audit_record`,
    such as the benchmark's COPY of a city's rows."""
    with connections[router.db_for_write(AuditChainHead)].cursor() as cursor:
        cursor.execute(_head_sql(cursor, lock=False), [HEAD_ID])
        return _link_after(*(cursor.fetchone() or (GENESIS, None, *_newest(cursor))))


# The head's lock and reads as fixed statements rather than querysets: every audited write in the city
# runs them, and building the same querysets each time cost more CPU than running them (issue 19).
HEAD_ID = 1


def _table(cursor, model) -> str:
    return cursor.db.ops.quote_name(model._meta.db_table)


def _head_sql(cursor, *, lock: bool) -> str:
    """The head (last hash, last row id) and the newest row (id, hash) in one statement — one round trip less
    per audited write than reading them one after the other. Locked, the head's row stays locked until the
    transaction ends (SQLite locks the whole database for a writer and has no FOR UPDATE)."""
    head, entries = _table(cursor, AuditChainHead), _table(cursor, AuditEntry)
    lock_clause = " FOR UPDATE OF h" if lock and cursor.db.features.has_select_for_update_of else ""
    return (f"SELECT h.last_hash, h.last_entry_id, n.id, n.entry_hash FROM {head} h "
            f"LEFT JOIN (SELECT id, entry_hash FROM {entries} ORDER BY id DESC LIMIT 1) n ON 1 = 1 "
            f"WHERE h.id = %s{lock_clause}")


def _head_locked(cursor) -> tuple | None:
    """(last hash, last row id, newest row id, newest row hash) with the head's row locked, or None before the
    first row. On PostgreSQL a writer that waited for the lock reads the head as the other's commit left it
    (the row is re-read once the lock is granted), while the newest row comes from before the wait; that is
    enough, because the head then names the other's last row, which is newer (see _link_after)."""
    cursor.execute(_head_sql(cursor, lock=True), [HEAD_ID])
    return cursor.fetchone()


def _newest(cursor) -> tuple:
    cursor.execute(f"SELECT id, entry_hash FROM {_table(cursor, AuditEntry)} ORDER BY id DESC LIMIT 1")
    return cursor.fetchone() or (None, None)


def _link_after(last_hash: str, last_entry_id: int | None, newest_id: int | None, newest_hash: str | None) -> str:
    """The hash the new row follows: the newest row if this transaction wrote it (on PostgreSQL the head
    catches up at commit), else the head's. Never simply the newest row: after someone cut the tail, the
    next row still follows the head's hash, so `audit_verify` names the cut instead of a new row hiding it."""
    if newest_id is not None and (last_entry_id is None or newest_id > last_entry_id):
        return newest_hash
    return last_hash
