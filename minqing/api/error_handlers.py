"""Every error leaves the API in one shape: {"error": {"code", "message", "fields"}}.

Services raise minqing.core.errors.*; ninja raises its own validation, auth, throttle and HTTP
errors; everything else is a bug, logged with the request id and answered 500 without details.
Codes are stable (clients branch on them); messages are for people and follow the language.
"""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import errors as ninja_errors

from minqing.core.errors import ApplicationError, RateLimited, Unauthenticated, ValidationError

from .parsing import BodyRefused

logger = logging.getLogger("minqing.api")

HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid", 429: "rate_limited",
}
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "data", "filters"}


def error_body(code: str, message, fields=None) -> dict:
    return {"error": {"code": code, "message": str(message),
                      "fields": {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}}}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    return ".".join(parts) or "__all__"


def _pydantic_message(error: dict) -> str:
    """Pydantic's message for an error type, in the user's language (its own messages are English)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error":  # our own validators raise translated text
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind in ("string_too_long", "too_long"):
        return _("不能超过 %(n)s 个字符。") % {"n": ctx.get("max_length", "")}
    if kind in ("string_too_short", "too_short"):
        return _("至少 %(n)s 个字符。") % {"n": ctx.get("min_length", "")}
    if kind in ("less_than_equal", "less_than"):
        return _("不能大于 %(n)s。") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("不能小于 %(n)s。") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("enum", "literal_error"):
        return _("须为以下之一：%(v)s。") % {"v": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("格式不正确。") if ctx.get("pattern") != r"\S" else _("不能为空。")
    messages = {
        "missing": _("必填项。"), "extra_forbidden": _("不接受这个字段。"), "int_parsing": _("须为整数。"),
        "int_type": _("须为整数。"), "int_from_float": _("须为整数。"), "float_parsing": _("须为数字。"),
        "float_type": _("须为数字。"), "bool_parsing": _("须为 true 或 false。"), "bool_type": _("须为 true 或 false。"),
        "string_type": _("须为文字。"), "date_parsing": _("须为日期，格式如 2026-11-17。"),
        "date_from_datetime_parsing": _("须为日期，格式如 2026-11-17。"), "date_type": _("须为日期，格式如 2026-11-17。"),
        "datetime_parsing": _("须为带时区的时间，如 2026-12-01T18:00:00+08:00。"),
        "datetime_from_date_parsing": _("须为带时区的时间，如 2026-12-01T18:00:00+08:00。"),
        "timezone_aware": _("须为带时区的时间，如 2026-12-01T18:00:00+08:00。"),
        "datetime_type": _("须为带时区的时间，如 2026-12-01T18:00:00+08:00。"),
        "list_type": _("须为列表。"), "dict_type": _("须为对象。"), "model_type": _("须为对象。"),
        "model_attributes_type": _("须为对象。"), "json_invalid": _("不是有效的 JSON。"),
    }
    return str(messages.get(kind, _("格式不正确。")))


# ninja's own messages (not pydantic's): the cursor pagination's.
NINJA_MESSAGES = {"Invalid Cursor": lambda: _("无效的分页游标：请从第一页重新开始。")}


def validation_fields(errors) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        if "loc" not in error:  # ninja's own shape, e.g. [{"cursor": "Invalid Cursor"}]
            for name, msg in error.items():
                translate = NINJA_MESSAGES.get(str(msg))
                fields.setdefault(str(name), []).append(translate() if translate else str(msg))
            continue
        fields.setdefault(_field_name(error["loc"]), []).append(_pydantic_message(error))
    return fields


def install(api) -> None:
    def respond(request, status, body, headers=None):
        response = api.create_response(request, body, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApplicationError)
    def application_error(request, exc):
        return respond(request, exc.status, exc.as_dict())

    @api.exception_handler(ninja_errors.ValidationError)
    def invalid_input(request, exc):
        return respond(request, 422, ValidationError(fields=validation_fields(exc.errors)).as_dict())

    @api.exception_handler(ninja_errors.AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, Unauthenticated(_("请提供有效的令牌（Authorization: Bearer …）或先登录。")).as_dict())

    @api.exception_handler(ninja_errors.Throttled)
    def throttled(request, exc):
        return respond(request, 429, RateLimited().as_dict())

    @api.exception_handler(ninja_errors.HttpError)
    def http_error(request, exc):
        cause = exc.__cause__
        if isinstance(cause, BodyRefused):  # parse_body's refusal, which ninja wrapped in a bare 400
            fields = {cause.where: [cause.message]} if cause.status == 422 else None
            return respond(request, cause.status, error_body(cause.code, cause.message, fields))
        if exc.status_code == 403 and "CSRF" in str(exc):
            return respond(request, 403, error_body("csrf_failed", _("CSRF 校验失败：请在请求头带上 X-CSRFToken。")))
        return respond(request, exc.status_code,
                       error_body(HTTP_CODES.get(exc.status_code, "error"), exc.message))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, error_body("not_found", _("未找到该记录，或您无权查看。")))

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, error_body("forbidden", _("您没有执行此操作的权限。")))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):  # DATA_UPLOAD_MAX_MEMORY_SIZE: a client's mistake, not a server error
        return respond(request, 413, error_body("too_large", _("请求内容过大。")))

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        return respond(request, 400, error_body("bad_request", _("请求字段过多。")))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, error_body("server_error", _("服务器内部错误，已记录，请稍后再试。")))
