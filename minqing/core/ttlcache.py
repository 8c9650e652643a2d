"""Per-process caches with expiry, for the rows every API write reads and that hardly ever change
(issue 19): API tokens and Open311 keys with their owner and grants, categories, service levels, places.

Why not Django's cache: these are read several times per request, and a round trip to a shared cache
costs about what the database query did. So each worker process keeps its own copy, for a few seconds.

Staleness is bounded three ways:
- every entry expires after its TTL (10 s for credentials and grants, 60 s for the taxonomy and places);
- a save or delete of a watched model clears every cache of the process that made it, at once and
  again when its transaction commits;
- that commit also bumps a stamp file (`<DATA_DIR>/cache-stamp`); every process looks at the stamp's
  mtime at most once per STAMP_CHECK_SECONDS and clears its caches when it moved. So a revoked token,
  a deactivated user or a removed grant stops working in every worker on the host within about one
  second (docs/security.md). Workers on other hosts without a shared DATA_DIR fall back to the TTL.

Entries are handed out as copies (`detached`), so what one request sets on an object never leaks
into the next. Misses (None) are not cached: a row created a moment ago is found at once.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_delete, post_save

STAMP_CHECK_SECONDS = 1.0
_caches: list[TtlCache] = []
_stamp = {"checked_at": 0.0, "mtime_ns": None}


class TtlCache:
    """key → value for `ttl` seconds, in this process; with `max_items`, at most that many (a cache keyed by
    user would otherwise keep an expired entry for every user who ever came, until the next clear). `clock`
    is for tests that need time to pass."""

    def __init__(self, name: str, *, ttl: float, max_items: int | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.name, self.ttl, self.max_items, self._clock = name, ttl, max_items, clock
        self._items: dict[object, tuple[float, object]] = {}
        _caches.append(self)

    def get(self, key, load: Callable[[], object]):
        """The cached value for key, else `load()` (kept unless it is None)."""
        stamp_check()
        now = self._clock()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key, value) -> None:
        """Keep value for key for the cache's TTL, replacing what was kept."""
        now = self._clock()
        if self.max_items is not None and key not in self._items and len(self._items) >= self.max_items:
            self._make_room(now)
        self._items[key] = (now + self.ttl, value)

    def _make_room(self, now: float) -> None:
        """Drop the expired entries, then the oldest until one more fits."""
        self._items = {key: hit for key, hit in self._items.items() if hit[0] > now}
        while len(self._items) >= self.max_items:
            del self._items[next(iter(self._items))]

    def clear(self) -> None:
        self._items.clear()


def detached(obj):
    """A shallow copy of a model instance with its own state, so a request may set attributes freely."""
    if obj is None:
        return None
    # what copy.copy does, without its trip through pickling's protocol (Model.__reduce__, __getstate__,
    # __setstate__ and a version check): 0.23 of 4.9 profiled seconds of 300 API submissions (issue 19)
    clone = object.__new__(type(obj))
    clone.__dict__.update(obj.__dict__)
    state = clone._state = object.__new__(ModelState)
    state.__dict__.update(obj._state.__dict__)
    state.fields_cache = dict(obj._state.fields_cache)
    return clone


def with_owner(row):
    """A detached credential row (API token, Open311 key) whose `user` is detached too; the user keeps
    the grants loaded with it (`accounts.policy.grants_of`), which are an immutable tuple."""
    if row is None:
        return None
    clone = detached(row)
    if row.user_id is not None:
        clone.user = detached(row.user)
    return clone


def caches_clear() -> None:
    """Empty every cache of this process."""
    for cache in _caches:
        cache.clear()


def _stamp_path() -> Path:
    return Path(getattr(settings, "DATA_DIR", "var")) / "cache-stamp"


def _stamp_mtime() -> int | None:
    try:
        return _stamp_path().stat().st_mtime_ns
    except OSError:
        return None


def stamp_check(*, force: bool = False) -> None:
    """Clear this process's caches if another process bumped the stamp (looked at ≤ once a second)."""
    now = time.monotonic()
    if not force and now - _stamp["checked_at"] < STAMP_CHECK_SECONDS:
        return
    _stamp["checked_at"] = now
    mtime = _stamp_mtime()
    if mtime != _stamp["mtime_ns"]:
        _stamp["mtime_ns"] = mtime
        caches_clear()


def stamp_bump() -> None:
    """Tell every process on this host that watched rows changed (best effort: the TTL bounds the rest)."""
    path = _stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, ns=(time.time_ns(), time.time_ns()))
    except OSError:
        return
    _stamp["mtime_ns"] = _stamp_mtime()  # this process has already cleared its own caches


def _changed() -> None:
    caches_clear()
    stamp_bump()


# Per watched model, fields no cache hands out (bookkeeping_fields): a save that writes only those clears nothing.
_BOOKKEEPING_FIELDS: dict[type, frozenset[str]] = {}


def bookkeeping_fields(model, *fields: str) -> None:
    """Saves of `model` that write only these fields (`save(update_fields=…)`) leave the caches alone."""
    _BOOKKEEPING_FIELDS[model] = _BOOKKEEPING_FIELDS.get(model, frozenset()) | frozenset(fields)


def _on_change(sender, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and update_fields <= _BOOKKEEPING_FIELDS.get(sender, frozenset()):
        return
    # now (this process must not serve the old row while the transaction runs) and at commit (another
    # process may have re-read the old row in between; the bump makes it read again)
    caches_clear()
    transaction.on_commit(_changed, using=kwargs.get("using"))


def watch(*models) -> None:
    """Clear every cache (here at once, everywhere at commit) when a row of these models is saved or deleted."""
    for model in models:
        uid = f"ttlcache:{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}:delete")
