"""Who is calling: a personal token (Authorization: Bearer mq_…) or the pages' own session (with CSRF).

Both resolve to a User, so every endpoint then goes through the same policy, selectors and services
as the pages. A token carries its owner's roles and scope; a read-only token additionally refuses
every write (`ensure_token_may_write`).
"""
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer

from minqing.core.errors import PermissionDenied, Unauthenticated

from .selectors import api_token_find
from .services import api_token_touch


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = api_token_find(raw=token)
        if api_token is None or not api_token.user.is_active:
            raise Unauthenticated(_("令牌无效。"), code="token_invalid")
        if api_token.is_revoked:
            raise Unauthenticated(_("令牌已被撤销。"), code="token_revoked")
        if api_token.is_expired:
            raise Unauthenticated(_("令牌已过期，请重新创建。"), code="token_expired")
        api_token_touch(token=api_token)
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user


class SessionAuth(APIKeyCookie):
    """Django's login session; unsafe methods need the CSRF token (X-CSRFToken header), as on the pages.

    The CSRF check runs only when a session cookie is present, so a client that sent no credentials
    at all is told 401 (log in), not 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key and request.user.is_authenticated:
            request.api_token = None
            return request.user
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]


def ensure_token_may_write(request) -> None:
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise PermissionDenied(_("只读令牌不能执行写操作。"), code="token_read_only")
