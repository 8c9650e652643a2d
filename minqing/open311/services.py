"""Every write of the Open311 endpoint: issuing keys, and filing a report as a demand through
appeals' own intake service (appeal_submit) — the same rules, timeline and audit as the pages."""
from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.appeals.models import Channel, Kind
from minqing.appeals.services import appeal_submit
from minqing.appeals.taxonomy import Category, Urgency
from minqing.appeals.taxonomy_services import category_active_get
from minqing.core.audit import audit_record
from minqing.core.errors import ValidationError
from minqing.core.ttlcache import TtlCache

from .locating import place_locate
from .models import Open311Key, Open311Request


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def open311_key_create(*, actor, name: str, user=None, channel: str = Channel.WEB) -> tuple[Open311Key, str]:
    """A key for a submitting system; returns (key, raw secret) — the secret is shown once.

    `actor` is an administrator, or a string naming the operator at the command line (who already
    holds the server)."""
    if not isinstance(actor, str):
        ensure_can(actor, "accounts.manage", None)
    errors = {}
    if not name.strip():
        errors["name"] = [_("请填写系统名称。")]
    elif Open311Key.objects.filter(name=name.strip()).exists():
        errors["name"] = [_("已有同名的密钥。")]
    if channel not in Channel.values:
        errors["channel"] = [_("渠道不正确。")]
    if user is None and channel != Channel.WEB:
        errors["channel"] = [_("未绑定账号的密钥只能按居民网页/手机渠道提交。")]
    if errors:
        raise ValidationError(fields=errors)
    prefix = f"o311_{secrets.token_hex(4)}"
    raw = f"{prefix}_{secrets.token_urlsafe(24)}"
    key = Open311Key.objects.create(name=name.strip(), prefix=prefix, key_hash=key_digest(raw), user=user,
                                    channel=channel)
    audit_record(actor=actor, action="open311_key.create", obj=key,
                 changes={"name": key.name, "user": str(user or ""), "channel": channel})
    return key, raw


@transaction.atomic
def open311_key_revoke(*, actor, key_id: int) -> Open311Key:
    """A leaked or retired key stops working; the row stays (the requests it sent point at it)."""
    ensure_can(actor, "accounts.manage", None)
    key = Open311Key.objects.select_for_update().get(pk=key_id)
    if key.is_active:
        key.is_active = False
        key.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="open311_key.revoke", obj=key, changes={"is_active": [True, False]})
    return key


@dataclass
class Report:
    """One POST requests, parsed (GeoReport v2 field names)."""

    service_code: str
    description: str = ""
    lat: Decimal | None = None
    long: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


def as_id(code: str) -> int | None:
    """A service_code as a row id; anything else (letters, more digits than a bigint) matches nothing."""
    return int(code) if code.isdigit() and len(code) <= 18 else None


def _category(service_code: str) -> Category:
    category = category_active_get(as_id(service_code))
    if category is None:
        raise ValidationError(fields={"service_code": [_("service_code 不存在。")]})
    return category


def _choice(attributes: dict, name: str, choices, default: str) -> str:
    value = attributes.get(name) or default
    if value not in choices.values:
        raise ValidationError(fields={f"attribute[{name}]": [_("取值不在允许范围内。")]})
    return value


USE_RECORD_EVERY = datetime.timedelta(minutes=1)
_USE_WRITTEN = TtlCache("open311 key use written", ttl=USE_RECORD_EVERY.total_seconds())


def _mark_used(key: Open311Key) -> None:
    """last_used_at at most once a minute: a busy client must not rewrite its key's row on every request.
    The key may be a cached copy (open311_key_find), so this process remembers its own writes."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at <= USE_RECORD_EVERY:
        return

    def write():
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
        return now
    key.last_used_at = _USE_WRITTEN.get(key.pk, write)


def open311_request_submit(*, key: Open311Key, jurisdiction, report: Report) -> Open311Request:
    """The demand and its request record in the demand's own transaction (`attach`): no transaction around it,
    so the intake neither looks its receipt code up first nor takes a savepoint (issue 19)."""
    category = _category(report.service_code)
    place = place_locate(jurisdiction=jurisdiction, address_id=report.address_id, lat=report.lat,
                         long=report.long, address_string=report.address_string)
    attached: list[Open311Request] = []

    def request_record(appeal) -> list[Open311Request]:
        attached[:] = [Open311Request(
            appeal=appeal, key=key, token=secrets.token_hex(12), lat=report.lat, long=report.long,
            address_string=report.address_string[:200], media_url=report.media_url[:500],
            device_id=report.device_id[:100], account_id=report.account_id[:100],
        )]
        return attached

    appeal_submit(
        actor=key.user, place=place, text=report.description, channel=key.channel,
        title=f"{category.name}：{report.description.strip()[:60]}",
        kind=_choice(report.attributes, "kind", Kind, Kind.HELP), category=category,
        urgency=_choice(report.attributes, "urgency", Urgency, Urgency.NORMAL),
        reporter_name=f"{report.last_name}{report.first_name}".strip(), phone=report.phone,
        location=report.address_string, attach=request_record,
    )
    _mark_used(key)  # bookkeeping once a minute, after the submission's commit
    return attached[0]
