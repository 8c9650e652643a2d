"""Intake 登记: a worker on behalf of a resident (from the ledger, or anonymous), or a resident on the
public page (no login: a phone number and a short text are enough)."""
from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.crypto import encrypt, lookup_hash
from minqing.core.errors import RateLimited, ValidationError
from minqing.core.masking import mask_phone
from minqing.dashboard.dirty import rollup_mark_dirty
from minqing.places.models import Place
from minqing.workdays.calendar import add_working_days

from . import notices
from .conf import PHOTO_FORMATS, PHOTO_MAX_BYTES, PHOTO_MAX_COUNT
from .models import Appeal, AppealEvent, AppealPhoto, Channel, Kind
from .taxonomy import Urgency
from .taxonomy_services import service_level_for
from .tokens import receipt_code_new, token_new

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
PUBLIC_DAILY_LIMIT = 10  # per phone number per day on the public page


def photo_check(upload) -> str:
    """The photo's content type, after checking its size and that Pillow reads it as JPEG/PNG/WebP."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(fields={"photos": [_("照片不能超过 5 MB：%(n)s") % {"n": upload.name}]})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(fields={"photos": [_("无法识别的图片：%(n)s") % {"n": upload.name}]}) from exc
    if kind not in PHOTO_FORMATS:
        raise ValidationError(fields={"photos": [_("只接受 JPG、PNG 或 WebP 照片。")]})
    upload.seek(0)
    return PHOTO_FORMATS[kind]


def _check(*, actor, place, text, phone, channel, photos, resident) -> dict:
    errors = {}
    if place is None:
        errors["place"] = [_("请选择地点。")]
    if len((text or "").strip()) < 5:
        errors["text"] = [_("请用至少 5 个字描述问题。")]
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = [_("请填写正确的手机号或座机号。")]
    if actor is None and not phone:
        errors["phone"] = [_("请留下联系电话，以便我们回复您。")]
    if channel not in Channel.values:
        errors["channel"] = [_("请选择渠道。")]
    if len(photos) > PHOTO_MAX_COUNT:
        errors["photos"] = [_("最多上传 %(n)d 张照片。") % {"n": PHOTO_MAX_COUNT}]
    return errors


def appeal_submit(*, actor, place: Place, text: str, channel: str, title: str = "", kind: str = Kind.HELP,
                  category=None, urgency: str = Urgency.NORMAL, resident=None, reporter_name: str = "",
                  phone: str = "", location: str = "", photos: Sequence = (),
                  submitted_at: datetime.datetime | None = None) -> Appeal:
    """Record a demand. actor=None is a resident on the public page. The returned appeal carries
    `tracking_token` (shown once: the secret link); only its hash is stored.

    Receipt codes are random (32^5 a day); instead of a look-up before every insert, a rare clash
    is caught by the unique index and the submission retried once with the look-up on. Inside a
    caller's transaction the look-up is always done (an error would spoil the caller's transaction).
    """
    arguments = {k: v for k, v in locals().items()}
    if transaction.get_connection().in_atomic_block:
        return _submit(check_code=True, **arguments)
    try:
        return _submit(check_code=False, **arguments)
    except IntegrityError as exc:
        if "receipt_code" not in str(exc):
            raise
        return _submit(check_code=True, **arguments)


@transaction.atomic
def _submit(*, check_code: bool, actor, place, text, channel, title, kind, category, urgency, resident,
            reporter_name, phone, location, photos, submitted_at) -> Appeal:
    phone = (phone or "").strip().replace(" ", "")
    if actor is None:
        channel = Channel.WEB
    else:
        ensure_can(actor, "appeal.intake", place.code if place else None)
        if resident is not None:
            ensure_can(actor, "ledger.view", resident.place_code)
    errors = _check(actor=actor, place=place, text=text, phone=phone, channel=channel, photos=photos,
                    resident=resident)
    if errors:
        raise ValidationError(fields=errors)
    content_types = [photo_check(p) for p in photos]
    now = submitted_at or timezone.now()
    if actor is None and Appeal.objects.filter(phone_hash=lookup_hash(phone),
                                               submitted_at__gte=now - datetime.timedelta(days=1)).count() >= PUBLIC_DAILY_LIMIT:
        raise RateLimited()
    token, digest = token_new()
    code = receipt_code_new(now)
    while check_code and Appeal.objects.filter(receipt_code=code).exists():
        code = receipt_code_new(now)
    level = service_level_for(category, urgency)
    text = text.strip()
    appeal = Appeal(
        receipt_code=code, token_hash=digest, place=place, place_code=place.code, resident=resident,
        reporter_name=(reporter_name or (resident.name if resident else "")).strip()[:50],
        channel=channel, kind=kind, category=category, urgency=urgency,
        title=(title or text).strip()[:100], text=text, location=location.strip()[:200],
        created_by=actor, submitted_at=now, response_deadline=add_working_days(now, level.response_days),
    )
    if phone:
        appeal.phone_cipher, appeal.phone_hash, appeal.phone_masked = encrypt(phone), lookup_hash(phone), mask_phone(phone)
    elif resident is not None and resident.phone_cipher:
        appeal.phone_cipher, appeal.phone_hash, appeal.phone_masked = (
            resident.phone_cipher, resident.phone_hash, resident.phone_masked)
    appeal.save()
    rollup_mark_dirty(appeal)  # the dashboard recomputes this demand's day
    for upload, content_type in zip(photos, content_types):
        AppealPhoto.objects.create(appeal=appeal, image=upload, content_type=content_type, size=upload.size)
    label = actor.get_full_name() if actor else "居民"
    AppealEvent.objects.create(appeal=appeal, verb="submit", to_status=appeal.status, actor=actor,
                               actor_label=label, at=now, note=appeal.get_channel_display())
    audit_record(actor=actor or "居民", action="appeal.submit", obj=appeal,
                 changes={"channel": channel, "category": category.name if category else "", "photos": len(photos)})
    # in the demand's transaction (issue 19): the staff notices and the SMS outbox row commit with the
    # demand in one commit instead of a second transaction after it
    notices.notify_submitted(appeal)
    appeal.tracking_token = token
    return appeal
