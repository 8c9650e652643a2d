"""Receipt codes (shown, spoken on the phone) and secret tracking tokens (only their hash is stored)."""
import hashlib
import hmac
import secrets

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


def token_matches(appeal, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(appeal.token_hash, token_hash(token))
