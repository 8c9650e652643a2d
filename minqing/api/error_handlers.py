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


def validation_fields(errors) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        if "loc" not in error:  # ninja's own shape, e.g. [{"cursor": "Invalid Cursor"}]
            for name, msg in error.items():
                fields.setdefault(str(name), []).append(str(msg))
            continue
        message = _("必填项。") if error.get("type") == "missing" else error.get("msg", _("格式不正确。"))
        fields.setdefault(_field_name(error["loc"]), []).append(str(message))
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
