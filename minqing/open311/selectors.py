"""What the Open311 endpoint shows. GeoReport v2 reads are public, so they cover only demands that
came in through Open311 (whose apps tell their users reports are public), never the rest."""
from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.appeals.models import FINAL_STATUSES
from minqing.appeals.taxonomy import Category
from minqing.accounts.models import RoleAssignment, User
from minqing.accounts.policy import grants_of
from minqing.core.errors import NotFound, ValidationError
from minqing.core.ttlcache import TtlCache, watch, with_owner

from .models import Open311Key, Open311Request
from .services import as_id, key_digest

DEFAULT_SPAN = datetime.timedelta(days=90)
MAX_RESULTS = 1000
# Each process keeps a key, its bound user and the user's grants for 10 s; disabling a key clears every
# process's copy within about a second (core/ttlcache.py, docs/security.md).
_KEYS = TtlCache("open311 keys", ttl=10)
watch(Open311Key, User, RoleAssignment)


def service_list() -> QuerySet[Category]:
    """Every active category a report can be filed under: second-level ones and childless first-level ones."""
    return (Category.objects.filter(is_active=True)
            .exclude(Q(parent__isnull=True) & Q(children__is_active=True))
            .select_related("parent").distinct().order_by("parent__sort", "parent_id", "sort", "id"))


def service_get(code: str) -> Category:
    category = service_list().filter(pk=as_id(code)).first()
    if category is None:
        raise NotFound(_("service_code 不存在。"))
    return category


def _requests(jurisdiction) -> QuerySet[Open311Request]:
    submissions = Open311Request.objects.select_related(
        "appeal__category", "appeal__place", "appeal__handler_unit", "appeal__handler_user")
    if jurisdiction is not None:
        submissions = submissions.filter(appeal__place_code__startswith=jurisdiction.code)
    return submissions


def open311_request_list(*, jurisdiction=None, ids: list[str] = (), codes: list[str] = (),
                         start: datetime.datetime | None = None, end: datetime.datetime | None = None,
                         statuses: list[str] = ()) -> QuerySet[Open311Request]:
    """Per the spec: ids override every other filter; without dates, the most recent 90 days."""
    submissions = _requests(jurisdiction).order_by("-appeal__submitted_at", "-id")
    if ids:
        return submissions.filter(appeal__receipt_code__in=ids)[:MAX_RESULTS]
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationError(fields={"status": [_("status 只能是 open 或 closed。")]})
    if codes:
        submissions = submissions.filter(appeal__category_id__in=[as_id(c) for c in codes if as_id(c)])
    end = end or timezone.now()
    start = start or end - DEFAULT_SPAN
    submissions = submissions.filter(appeal__submitted_at__gte=start, appeal__submitted_at__lte=end)
    if set(statuses) == {"closed"}:
        submissions = submissions.filter(appeal__status__in=FINAL_STATUSES)
    elif set(statuses) == {"open"}:
        submissions = submissions.exclude(appeal__status__in=FINAL_STATUSES)
    return submissions[:MAX_RESULTS]


def open311_request_get(*, jurisdiction=None, service_request_id: str) -> Open311Request:
    submission = _requests(jurisdiction).filter(appeal__receipt_code=service_request_id).first()
    if submission is None:
        raise NotFound(_("service_request_id 不存在。"))
    return submission


def open311_token_get(*, jurisdiction=None, token: str) -> Open311Request:
    submission = _requests(jurisdiction).filter(token=token).first()
    if submission is None:
        raise NotFound(_("token 不存在。"))
    return submission


def open311_key_find(raw: str | None) -> Open311Key | None:
    if not raw or len(raw) > 200:
        return None
    digest = key_digest(raw)
    return with_owner(_KEYS.get(digest, lambda: _key_load(digest)))


def _key_load(digest: str) -> Open311Key | None:
    key = Open311Key.objects.select_related("user").filter(key_hash=digest, is_active=True).first()
    if key is not None and key.user is not None:
        grants_of(key.user)  # loaded now, so they are cached with the key
    return key
