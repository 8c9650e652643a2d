"""Rate limits: a fixed-window counter per client in Django's cache (the API's throttles, the public
forms and the login all count here; it sits in core so every layer may use it).

Each (scope, client, window) gets one cache counter, created with `cache.add` and raised with
`cache.incr` — both atomic on Redis/Memcached and within one process on LocMem — so simultaneous
requests cannot both slip under the limit, unlike a read-modify-write list of timestamps. A fixed
window lets through at most 2×limit across a window boundary; for "stop a runaway integration"
that is fine and costs one cache round-trip per request. Rates are read from settings on every
request (so operators and tests can change them), `"<count>/<s|m|h|d>"`:

    MINQING_API_RATES = {"token": "600/m", "address": "60/m", "open311_key": "120/m"}

Several web processes must share the cache (CACHES → Redis or DatabaseCache) for the limit to be
global; with the default per-process LocMem cache each process counts on its own.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_RATES = {"token": "600/m", "address": "60/m", "open311_key": "120/m"}
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
    key = f"minqing:rl:{scope}:{ident}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit, start + window - now


def client_address(request) -> str:
    """The caller's address; behind a proxy, the last hop it appended (never a client-supplied first hop)."""
    proxies = getattr(settings, "MINQING_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "unknown")
