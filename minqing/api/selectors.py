"""Every read of API tokens."""
from django.db.models import QuerySet

from .models import ApiToken
from .services import token_digest


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def api_token_find(*, raw: str) -> ApiToken | None:
    """The token a client presented, usable or not (the caller tells expired from revoked)."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=token_digest(raw)).first()
