"""Receipt codes (shown, spoken on the phone) and secret tracking tokens (only their hash is stored)."""
import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils import timezone

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


def receipt_code_new(now=None) -> str:
    day = timezone.localtime(now or timezone.now())
    return f"{day:%y%m%d}" + "".join(secrets.choice(ALPHABET) for _ in range(5))


def token_new() -> tuple[str, str]:
    token = secrets.token_urlsafe(18)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(appeal) -> str:
    """A second secret for the same tracking page, for links we send later (the reply's text message, the
    page reached by receipt code and phone): the token itself is shown once and only its hash is stored,
    so it cannot be sent again. Derived from the stored hash with the server's secret key, so it is
    never stored either, and it dies with the demand's token."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"appeal-link:{appeal.token_hash}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


def token_matches(appeal, token: str | None) -> bool:
    if not token:
        return False
    return (hmac.compare_digest(appeal.token_hash, token_hash(token))
            or hmac.compare_digest(link_token(appeal).encode(), token.encode()))
