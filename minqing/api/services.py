"""Every write to API tokens and the idempotency log."""
from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.audit import audit_record
from minqing.core.concurrency import lock_for_change
from minqing.core.errors import NotFound, PermissionDenied, ValidationError
from minqing.core.ttlcache import TtlCache

from .models import ApiToken

TOKEN_PREFIX = "mq_"
EXPIRY_DAYS_CHOICES = (30, 90, 180, 365)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    """(prefix, raw token): the prefix is stored and shown in lists, the rest only once, to its owner."""
    prefix = f"{TOKEN_PREFIX}{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(*, actor, name: str, access: str = ApiToken.Access.WRITE,
                     expires_in_days: int = 90) -> tuple[ApiToken, str]:
    """A token for the actor's own use. Returns (token, raw secret): the secret is never stored."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    errors = {}
    if not name.strip():
        errors["name"] = [_("请填写用途。")]
    if access not in ApiToken.Access.values:
        errors["access"] = [_("权限只能是只读或读写。")]
    if expires_in_days not in EXPIRY_DAYS_CHOICES:
        errors["expires_in_days"] = [_("有效期只能是 30、90、180 或 365 天。")]
    if errors:
        raise ValidationError(fields=errors)
    prefix, raw = _new_secret()
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), prefix=prefix, key_hash=token_digest(raw), access=access,
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )
    audit_record(actor=actor, action="api_token.create", obj=token,
                 changes={"name": token.name, "access": access, "expires_at": token.expires_at})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    """Owners revoke their own tokens; an administrator may revoke anyone's (a leaked token)."""
    token = lock_for_change(ApiToken.objects.all(), pk=token_id)
    if token.user_id != actor.pk and not actor.is_superuser:
        if not has_perm_anywhere(actor, "accounts.manage"):
            raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token, changes={"revoked": [False, True]})
    return token


USE_RECORD_EVERY = datetime.timedelta(minutes=1)
_USE_WRITTEN = TtlCache("api token use written", ttl=USE_RECORD_EVERY.total_seconds())


def api_token_touch(*, token: ApiToken) -> None:
    """Record use at most once a minute: a busy integration must not write a row per request. The row
    the request holds may be a cached copy (api_token_find), so this process remembers its own writes."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at <= USE_RECORD_EVERY:
        return

    def write():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return now
    token.last_used_at = _USE_WRITTEN.get(token.pk, write)
