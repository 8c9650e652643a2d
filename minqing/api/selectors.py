"""Every read of API tokens."""
from django.db.models import QuerySet

from minqing.accounts.models import RoleAssignment, User
from minqing.accounts.policy import grants_of
from minqing.core.ttlcache import TtlCache, watch, with_owner

from .models import ApiToken
from .services import token_digest

# A busy integration presents the same token many times a second: each process keeps the token, its
# owner and the owner's grants for 10 s. A revocation, a deactivated user or a changed grant clears
# every process's copy within about a second (core/ttlcache.py, docs/security.md).
_TOKENS = TtlCache("api tokens", ttl=10)
watch(ApiToken, User, RoleAssignment)


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def api_token_find(*, raw: str) -> ApiToken | None:
    """The token a client presented, usable or not (the caller tells expired from revoked)."""
    if not raw or len(raw) > 200:
        return None
    digest = token_digest(raw)
    return with_owner(_TOKENS.get(digest, lambda: _token_load(digest)))


def _token_load(digest: str) -> ApiToken | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
    if token is not None:
        grants_of(token.user)  # loaded now, so they are cached with the token
    return token
