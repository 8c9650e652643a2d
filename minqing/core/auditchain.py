"""The audit trail as a hash chain: each row stores the hash of (the previous row's hash + its own
canonical content), so rewriting, deleting or inserting any row breaks every later link (issue 13.2).

Writers serialise on one chain-head row (`AuditChainHead`, locked with SELECT … FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions already admit one writer), so two transactions can never
both append after the same row and fork the chain. `manage.py audit_verify` walks the chain and names
the first broken row; the head also keeps the last hash and id, so cutting rows off the end shows too.
A database trigger moves the head to the newest row (migration 0005; on PostgreSQL once, at commit).
"""
from __future__ import annotations

import datetime
import hashlib
import json

GENESIS = "0" * 64
FIELDS = ("actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "place_code",
          "changes", "request_id")


def canonical(entry) -> bytes:
    """The row's content as fixed bytes: sorted keys, UTC time, no whitespace."""
    content = {name: getattr(entry, name) for name in FIELDS}
    content["created_at"] = entry.created_at.astimezone(datetime.timezone.utc).isoformat()
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_digest(prev_hash: str, entry) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


def chain_verify(entries, head=None) -> tuple[int, object | None, str]:
    """(rows checked, first broken row or None, why). `entries` in id order."""
    prev, checked, last = GENESIS, 0, None
    for entry in entries:
        if entry.prev_hash != prev:
            return checked, entry, "prev_hash does not match the row before (a row was removed or inserted)"
        if entry.entry_hash != entry_digest(prev, entry):
            return checked, entry, "content does not match its hash (the row was rewritten)"
        prev, last = entry.entry_hash, entry
        checked += 1
    if head is not None and (head.last_hash != prev or head.last_entry_id != (last.pk if last else None)):
        return checked, last, "the chain head records a later row (rows were removed from the end)"
    return checked, None, ""
