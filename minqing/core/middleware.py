import re

from django.http import JsonResponse
from django.shortcuts import render

from .errors import ApplicationError
from .requestcontext import request_id_reset, request_id_set

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Tags every request with an id (taken from a proxy's X-Request-ID if sane) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id_set(incoming if _SAFE_REQUEST_ID.match(incoming) else None)
        try:
            response = self.get_response(request)
        finally:
            request_id_reset(token)
        return response


class ApplicationErrorMiddleware:
    """An ApplicationError that escapes a view becomes the one error shape (JSON) or an error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith(("/api/", "/open311/")) or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(exception.as_dict(), status=exception.status)
        return render(request, "core/error.html", {"error": exception}, status=exception.status)
