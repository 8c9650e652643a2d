import re
from dataclasses import asdict

from csp.middleware import HEADER, HEADER_REPORT_ONLY, CheckableLazyObject, CSPMiddleware, build_policy
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


# What a view may set to change its own policy (django-csp's decorators); a response carrying one is built in full.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
               "_csp_exempt", "_csp_exempt_ro")


class KeptPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once while the settings stay the same.

    django-csp rebuilt the same two policies from the settings on every response (dataclasses turned into dicts,
    directives sorted and joined): ~0.1 ms of each request, an API submission's included (issue 19). A response
    that asks for something of its own — a nonce, a decorator's update, replace or exemption — and the debug pages
    go through django-csp unchanged; none of the product's pages do today."""

    # the settings' two policy objects → (those objects, the header, the report-only header); keeping the objects
    # keeps their ids from being reused by other settings while the entry lives (tests override them)
    _kept: dict[tuple, tuple] = {}

    def process_response(self, request, response):
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(getattr(response, name, None) for name in _OWN_POLICY)
                or _excluded(request)):
            return super().process_response(request, response)
        policies = (getattr(settings, "CONTENT_SECURITY_POLICY", None),
                    getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        kept = self._kept.get(tuple(map(id, policies)))
        if kept is None or kept[0] is not policies[0] or kept[1] is not policies[1]:
            kept = self._kept[tuple(map(id, policies))] = (*policies, (
                build_policy(**asdict(self.get_policy_parts(request=request, response=response))),
                build_policy(**asdict(self.get_policy_parts(request=request, response=response, report_only=True)),
                             report_only=True)))
        for header, policy in zip((HEADER, HEADER_REPORT_ONLY), kept[2]):
            if policy and header not in response:
                response[header] = policy
        # as django-csp does: a nonce asked for after the header is written is an error, not a silent gap
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _excluded(request) -> bool:
    prefixes = tuple((getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES") or ()) + \
        tuple((getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
    return bool(prefixes) and request.path_info.startswith(prefixes)
