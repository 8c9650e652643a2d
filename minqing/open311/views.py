"""GeoReport v2 over plain Django views: /open311/v2/<resource>[.xml|.json] (XML when no suffix).

Errors follow the spec's own shape, `<errors><error><code>400</code><description>…`, because
existing Open311 clients parse that; the description carries our message and field names.
Reads are rate-limited per address, submissions per api_key.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from minqing.api.idempotency import idempotent_result
from minqing.core.ratelimit import client_address, rate_hit
from minqing.core.errors import ApplicationError, PermissionDenied, RateLimited, ValidationError

from . import representation as rep
from . import selectors
from .locating import coordinate, jurisdiction_get
from .services import Report, open311_request_submit

FORMATS = ("xml", "json")
STATUS_FOR = {"invalid": 400, "not_found": 404, "forbidden": 403, "unauthenticated": 403, "rate_limited": 429}


def _describe(error: ApplicationError) -> list[str]:
    return [f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in error.fields.items()] or [str(error.message)]


def _refusal(fmt: str, status: int, description: str, **headers):
    response = rep.render_errors(fmt, status, [description])
    for name, value in headers.items():
        response[name] = value
    return response


def open311(view=None, *, methods=("GET",)):
    """Format from the suffix, jurisdiction from the query, spec-shaped errors, per-address read limit.

    An unknown format suffix (`services.csv`) is 404 and a method the resource does not take is 405 —
    both in the spec's error list (in XML, the default format), not Django's HTML pages."""
    if view is None:
        return functools.partial(open311, methods=methods)

    @functools.wraps(view)
    def wrapped(request, *args, fmt=None, **kwargs):
        fmt = (fmt or "xml").lower()
        if fmt not in FORMATS:
            return _refusal("xml", 404, _("不支持的格式“%(fmt)s”：请用 .xml 或 .json。") % {"fmt": fmt})
        if request.method not in methods:
            return _refusal(fmt, 405, _("不支持 %(method)s 方法，可用：%(allowed)s。") % {
                "method": request.method, "allowed": ", ".join(methods)}, Allow=", ".join(methods))
        try:
            values = [*kwargs.values(), *request.GET.values(), *(request.POST.values() if request.method == "POST" else [])]
            if any("\x00" in str(v) for v in values):
                raise ValidationError(fields={"request": [_("不能包含空字符（NUL）。")]})
            if request.method == "GET":
                allowed, wait = rate_hit("address", client_address(request))
                if not allowed:
                    raise RateLimited()
            jurisdiction = jurisdiction_get(request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id"))
            return view(request, *args, fmt=fmt, jurisdiction=jurisdiction, **kwargs)
        except ApplicationError as error:
            status = STATUS_FOR.get(error.code, error.status if error.status < 500 else 400)
            response = rep.render_errors(fmt, status, _describe(error))
            if status == 429:
                response["Retry-After"] = "60"
            return response
    return wrapped


@open311
def service_list(request, fmt, jurisdiction):
    return rep.render(fmt, "services", [rep.service_of(c) for c in selectors.service_list()])


@open311
def service_definition(request, code, fmt, jurisdiction):
    return rep.render(fmt, "service_definition", rep.definition_of(selectors.service_get(code)))


def _dates(request):
    values = []
    for name in ("start_date", "end_date"):
        raw = request.GET.get(name)
        value = parse_datetime(raw) if raw else None
        if raw and value is None:
            raise ValidationError(fields={name: [_("须为 W3C 日期时间，如 2010-01-01T00:00:00Z。")]})
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        values.append(value)
    return values


def _split(request, name) -> list[str]:
    return [v.strip() for raw in request.GET.getlist(name) for v in raw.split(",") if v.strip()]


@csrf_exempt  # authenticated by api_key in the body, never by a cookie
@open311(methods=("GET", "POST"))
def request_list(request, fmt, jurisdiction):
    if request.method == "POST":
        return _request_create(request, fmt, jurisdiction)
    start, end = _dates(request)
    submissions = selectors.open311_request_list(
        jurisdiction=jurisdiction, ids=_split(request, "service_request_id"), codes=_split(request, "service_code"),
        start=start, end=end, statuses=_split(request, "status"))
    return rep.render(fmt, "service_requests", [rep.request_of(s) for s in submissions])


def _report(post) -> Report:
    if not post.get("service_code"):
        raise ValidationError(fields={"service_code": [_("必填项。")]})
    fields = {name: post.get(name, "").strip() for name in (
        "description", "address_string", "address_id", "first_name", "last_name", "phone", "email",
        "device_id", "account_id", "media_url")}
    attributes = {k[len("attribute["):-1]: v for k, v in post.items() if k.startswith("attribute[") and k.endswith("]")}
    return Report(service_code=post["service_code"].strip(), lat=coordinate(post.get("lat"), "lat", 90),
                  long=coordinate(post.get("long"), "long", 180), attributes=attributes, **fields)


def _request_create(request, fmt, jurisdiction):
    key = selectors.open311_key_find(request.POST.get("api_key"))
    if key is None:
        raise PermissionDenied(_("api_key 无效或已停用。"))
    allowed, _wait = rate_hit("open311_key", str(key.pk))
    if not allowed:
        raise RateLimited()
    report = _report(request.POST)

    def run():
        submission = open311_request_submit(key=key, jurisdiction=jurisdiction, report=report)
        return 201, [rep.created_of(submission)]
    status, body, _replayed = idempotent_result(request, client=f"open311:{key.pk}", run=run)
    return rep.render(fmt, "service_requests", body, status=status)


@open311
def request_detail(request, service_request_id, fmt, jurisdiction):
    submission = selectors.open311_request_get(jurisdiction=jurisdiction, service_request_id=service_request_id)
    return rep.render(fmt, "service_requests", [rep.request_of(submission)])


@open311
def token_detail(request, token, fmt, jurisdiction):
    submission = selectors.open311_token_get(jurisdiction=jurisdiction, token=token)
    return rep.render(fmt, "service_requests",
                      [{"service_request_id": submission.appeal.receipt_code, "token": submission.token}])


@open311
def discovery(request, fmt, jurisdiction):
    """Service discovery: where this GeoReport v2 endpoint is and which formats it speaks."""
    base = request.build_absolute_uri("/open311/v2")
    data = {"changeset": "2026-11-23T00:00:00+08:00", "contact": settings.MINQING_PUBLIC_BASE_URL,
            "key_service": _("由平台管理员用 manage.py open311_key 签发"),
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                           "changeset": "2026-11-23T00:00:00+08:00", "type": "production",
                           "formats": ["text/xml", "application/json"]}]}
    return rep.render(fmt, "discovery", data)


def unknown(request, path=""):
    """Anything else under /open311/v2/ answers in the spec's error shape, not Django's HTML 404."""
    fmt = "json" if path.lower().endswith(".json") else "xml"
    return _refusal(fmt, 404, _("没有这个资源：%(path)s") % {"path": path})
