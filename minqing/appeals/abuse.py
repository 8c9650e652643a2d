"""Limits on the pages anyone may call without logging in (issue 13.5), kept apart from intake.py so the
intake steps stay small: the public views call `public_intake_guard` / `public_track_guard` first.

* per client address (MINQING_TRUSTED_PROXIES decides what that is behind a proxy) and one global
  ceiling for the whole site, so a botnet cannot flood the demand queue and the SMS outbox;
* the request body's size before Django reads it (4 photos × 5 MB plus the form);
* tracking lookups (receipt code + phone, and the secret links) per address, so codes cannot be guessed.

The counters live in the database, so they hold across every web process (core/ratelimit.py). Rates:
MINQING_API_RATES keys below.
"""
from django.utils.translation import gettext as _

from minqing.core.ratelimit import DEFAULT_RATES, client_address, rate_hit
from minqing.core.errors import ApplicationError, RateLimited

PUBLIC_RATES = {"public_intake_address": "10/h", "public_intake_site": "300/h", "public_track_address": "30/m"}
DEFAULT_RATES.update({k: v for k, v in PUBLIC_RATES.items() if k not in DEFAULT_RATES})
PUBLIC_BODY_MAX_BYTES = 4 * 5 * 1024 * 1024 + 1024 * 1024


class TooLarge(ApplicationError):
    code = "too_large"
    status = 413
    default_message = _("提交的内容过大（照片最多 4 张、每张 5 MB）。")


def _hit(scope: str, ident: str) -> None:
    allowed, _wait = rate_hit(scope, ident)
    if not allowed:
        raise RateLimited(_("提交过于频繁，请稍后再试，或拨打社区电话。"))


def public_intake_guard(request) -> None:
    """Before a public submission is read: size, then the address's and the site's hourly budget."""
    if request.method != "POST":
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > PUBLIC_BODY_MAX_BYTES:
        raise TooLarge()
    _hit("public_intake_address", client_address(request))
    _hit("public_intake_site", "all")


def public_track_guard(request) -> None:
    _hit("public_track_address", client_address(request))
