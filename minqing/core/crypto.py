"""Personal data at rest: Fernet (AES-128-CBC + HMAC) for the value, HMAC-SHA256 for lookup.

The encryption key comes from the environment (MINQING_FIELD_ENCRYPTION_KEY). The lookup key is
derived from it, so a search by full ID number hashes the input once instead of decrypting every row.
Several keys may be given, comma-separated, newest first: decryption tries each (key rotation).
"""
from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@functools.cache
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.MINQING_FIELD_ENCRYPTION_KEY.split(",") if k.strip()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


@functools.cache
def _lookup_key() -> bytes:
    newest = settings.MINQING_FIELD_ENCRYPTION_KEY.split(",")[0].strip().encode()
    return hashlib.sha256(b"minqing-lookup-v1:" + newest).digest()


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: say so instead of showing garbage
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def lookup_hash(plain: str) -> str:
    """Deterministic keyed hash of a normalised value; equal inputs give equal hashes."""
    if not plain:
        return ""
    normalised = plain.strip().upper().replace(" ", "")
    return hmac.new(_lookup_key(), normalised.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()
