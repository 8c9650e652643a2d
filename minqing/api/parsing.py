"""Input no database column can hold is refused up front: NUL characters (PostgreSQL text cannot store
them; they only arrive from broken or hostile clients) anywhere in the body, query or path."""
import json

from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _refuse(where: str):
    raise ValidationError([{"loc": [where], "msg": _("不能包含空字符（NUL）。"), "type": "nul"}])


class BodyRefused(Exception):
    """Raised while parsing a body; ninja wraps whatever parse_body raises in a bare 400, so the error
    handler looks for this as the cause and answers in the one shape (error_handlers.http_error)."""

    def __init__(self, status: int, code: str, message: str, where: str = "body"):
        super().__init__(message)
        self.status, self.code, self.message, self.where = status, code, message, where


class StrictParser(Parser):
    def parse_body(self, request):
        if b"\x00" in request.body:
            raise BodyRefused(422, "invalid", _("不能包含空字符（NUL）。"))
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise BodyRefused(400, "bad_request", _("请求体不是有效的 JSON。")) from None
        if has_nul(data):
            raise BodyRefused(422, "invalid", _("不能包含空字符（NUL）。"))
        if not isinstance(data, dict):  # every operation takes a JSON object
            raise BodyRefused(422, "invalid", _("请求体须为 JSON 对象，如 {\"name\": \"…\"}。"))
        return data

    def parse_querydict(self, data, list_fields, request):
        if request.path and "\x00" in request.path:
            _refuse("path")
        result = super().parse_querydict(data, list_fields, request)
        if has_nul(result):
            _refuse("query")
        return result
