"""Rate limits: a fixed-window counter per (scope, client, window) — the API's throttles and the public
forms count here; it sits in core so every layer may use it.

Where the count lives depends on what the limit protects:

* **the database** (`RateCounter`, one row per window) for every limit on the public pages anyone may
  use without an account — intake, tracking lookups, survey answers and staff ratings, volunteer
  sign-ups, the policy search. `make run` serves with several gunicorn workers, and a limit
  of 10 submissions an hour per address must hold across all of them (and across hosts). The row is
  raised by one `INSERT … ON CONFLICT DO UPDATE … RETURNING` — atomic on PostgreSQL and SQLite — so
  simultaneous requests cannot both slip under the limit;
* **the cache** for the API's and Open311's throttles (`PROCESS_SCOPES`: per personal token, per Open311
  key, per address for anonymous reads), hit on every API call at hundreds a second, where a write per
  call would cost the submission rate (issue 19) and read endpoints would write. With the default
  per-process LocMem cache each worker counts on its own (a caller may go workers × the rate); a
  shared cache (Redis) makes them global too.

A fixed window lets through at most 2×limit across a window boundary; for "stop a flood" that is
fine. Rates are read from settings on every request (so operators and tests can change them),
`"<count>/<s|m|h|d>"`:

    MINQING_API_RATES = {"token": "600/m", "address": "60/m", "open311_key": "120/m"}
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .models import RateCounter

DEFAULT_RATES = {"token": "600/m", "address": "60/m", "open311_key": "120/m", "public_form_address": "60/m"}
PROCESS_SCOPES = frozenset({"token", "open311_key", "address"})
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_for(scope: str) -> tuple[int, int]:
    rates = {**DEFAULT_RATES, **getattr(settings, "MINQING_API_RATES", {})}
    count, period = rates[scope].split("/")
    return int(count), _PERIODS[period[-1]] * int(period[:-1] or 1)


def rate_hit(scope: str, ident: str) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window resets)."""
    limit, window = rate_for(scope)
    now = int(time.time())
    start = now - now % window
    bucket = f"{scope}:{ident}:{start}"[:255]
    count = (_cache_count if scope in PROCESS_SCOPES else _database_count)(bucket, start + window, now)
    return count <= limit, start + window - now


def _cache_count(bucket: str, window_end: int, now: int) -> int:
    key = f"minqing:rl:{bucket}"
    cache.add(key, 0, timeout=window_end - now + 1)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_end - now + 1)
        return 1


def _database_count(bucket: str, window_end: int, now: int) -> int:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, count, window_end) VALUES (%s, 1, %s) "
            f"ON CONFLICT (bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [bucket, window_end])
        count = cursor.fetchone()[0]
    if count == 1:  # a new window: sweep the ended ones (indexed, a few rows per client)
        RateCounter.objects.filter(window_end__lt=now).delete()
    return count


def client_address(request) -> str:
    """The caller's address; behind a proxy, the last hop it appended (never a client-supplied first hop)."""
    proxies = getattr(settings, "MINQING_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "unknown")
