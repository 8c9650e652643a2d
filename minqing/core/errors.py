"""One family of errors, one shape.

Services raise these; the middleware and the API turn them into
`{"error": {"code": …, "message": …, "fields": {field: [messages]}}}` with a fitting HTTP status,
and HTML forms show `message` and `fields` next to the inputs.
"""
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    code = "error"
    status = 400
    default_message = _("操作未能完成。")

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self):
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
            }
        }


class ValidationError(ApplicationError):
    code = "invalid"
    status = 422
    default_message = _("输入有误，请按提示修改。")

    @classmethod
    def from_django(cls, exc):
        """Wrap django.core.exceptions.ValidationError, keeping its per-field messages."""
        if hasattr(exc, "message_dict"):
            return cls(fields=exc.message_dict)
        return cls(message="；".join(str(m) for m in exc.messages))


class NotFound(ApplicationError):
    """Also what an actor gets for an object outside their scope: existence is not leaked."""

    code = "not_found"
    status = 404
    default_message = _("未找到该记录，或您无权查看。")


class PermissionDenied(ApplicationError):
    code = "forbidden"
    status = 403
    default_message = _("您没有执行此操作的权限。")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    default_message = _("该记录已被他人修改，请刷新后重试。您的输入未丢失。")


class TransitionNotAllowed(ApplicationError):
    code = "transition_not_allowed"
    status = 409
    default_message = _("当前状态下不能执行此操作。")


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _("请求过于频繁，请稍后再试。")


class Unauthenticated(ApplicationError):
    code = "unauthenticated"
    status = 401
    default_message = _("请先登录。")
