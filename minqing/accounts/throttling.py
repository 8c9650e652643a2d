"""Login throttling that an attacker cannot turn against a named user (issue 13.3).

* The client address comes from `MINQING_TRUSTED_PROXIES` (how many reverse proxies append to
  X-Forwarded-For; 0 = use REMOTE_ADDR), the same rule as the API's limits. Behind nginx with the
  default 0, every user shared the proxy's address and five wrong passwords locked everyone out.
* Axes locks a (user name, address) pair: someone guessing `secretary`'s password from their own
  machine locks only themselves out, never the secretary at her desk.
* Against a distributed guess (many addresses, one name) each further attempt on that name waits a
  short, capped delay once the name has collected AXES_FAILURE_LIMIT failures: guessing slows to a
  crawl, the real user still logs in (a couple of seconds later).
"""
import ipaddress
import time

from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the API's trusted-proxy rule, None when there is no valid address."""
    from minqing.core.ratelimit import client_address

    address = client_address(request) if request is not None else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def soft_delay_seconds(username: str) -> float:
    from axes.models import AccessAttempt

    failures = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return 0.0
    return min(float(getattr(settings, "MINQING_LOGIN_SOFT_DELAY_MAX", 5)), 0.5 * 2 ** min(over, 10))


class SoftDelayBackend:
    """After axes in AUTHENTICATION_BACKENDS: waits, then lets the real backends decide (never logs anyone in)."""

    sleep = staticmethod(time.sleep)

    def authenticate(self, request, username=None, password=None, **kwargs):
        delay = soft_delay_seconds(username or "")
        if delay:
            self.sleep(delay)
        return None
    # No get_user(): sessions (and force_login) must name the backend that really logged the user in.
