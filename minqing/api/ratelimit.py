"""The API's throttles (django-ninja) on the rate limiter of core/ratelimit.py."""
from __future__ import annotations

import threading

from ninja.throttling import BaseThrottle

from minqing.core.ratelimit import DEFAULT_RATES, client_address, rate_for, rate_hit  # noqa: F401


class _FixedWindowThrottle(BaseThrottle):
    scope = ""

    def __init__(self):
        self._local = threading.local()

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        allowed, self._local.wait = rate_hit(self.scope, ident)
        return allowed

    def wait(self):
        return getattr(self._local, "wait", None)


class TokenThrottle(_FixedWindowThrottle):
    """Per personal token; the pages' session calls count per user."""

    scope = "token"

    def ident(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"t{token.pk}"
        user = getattr(request, "auth", None)
        return f"u{user.pk}" if getattr(user, "pk", None) else None


class AddressThrottle(_FixedWindowThrottle):
    """Per client address, for endpoints anyone may call."""

    scope = "address"

    def ident(self, request):
        return client_address(request)
