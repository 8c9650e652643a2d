import re

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

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


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language (the cookie /i18n/setlang/ sets, from the switch
    in the top bar). A browser's Accept-Language is ignored: the product is Chinese first, and an English
    browser in a community office must not turn the pages English by itself."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    try:
        language = translation.get_supported_language_variant(chosen) if chosen else None
    except LookupError:
        language = None
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
