"""Intake 登记: a worker on behalf of a resident (from the ledger, or anonymous), or a resident on the
public page (no login: a phone number and a short text are enough)."""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from minqing.accounts.policy import ensure_can
from minqing.core import appends, clock
from minqing.core.audit import audit_record
from minqing.core.crypto import encrypt, lookup_hash
from minqing.core.errors import RateLimited, ValidationError
from minqing.core.masking import mask_phone
from minqing.places.models import Place
from minqing.workdays.calendar import add_working_days

from . import notices
from .conf import PHOTO_FORMATS, PHOTO_MAX_BYTES, PHOTO_MAX_COUNT
from .events import RESIDENT, appeal_note
from .models import Appeal, AppealPhoto, Channel, Kind
from .taxonomy import Urgency
from .taxonomy_services import service_level_for
from .tokens import receipt_code_new, token_new

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
PHOTO_MAX_PIXELS = 40_000_000  # a 48 MP phone photo scaled once; Pillow's bomb limit is 89 MP
PUBLIC_DAILY_LIMIT = 10  # per phone number per day on the public page


def photo_check(upload) -> str:
    """The photo's content type, after checking its size and that Pillow reads it as JPEG/PNG/WebP."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(fields={"photos": [_("照片不能超过 5 MB：%(n)s") % {"n": upload.name}]})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            too_big = image.width * image.height > PHOTO_MAX_PIXELS  # a 20000×20000 PNG is 5 MB (issue 13.9)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(fields={"photos": [_("无法识别的图片：%(n)s") % {"n": upload.name}]}) from exc
    if too_big:
        raise ValidationError(fields={"photos": [_("照片像素过大（最多 4000 万像素）：%(n)s") % {"n": upload.name}]})
    if kind not in PHOTO_FORMATS:
        raise ValidationError(fields={"photos": [_("只接受 JPG、PNG 或 WebP 照片。")]})
    upload.seek(0)
    return PHOTO_FORMATS[kind]


@dataclass(frozen=True)
class Submission:
    """One demand as submitted: what the worker's form or the public page sent, normalised."""

    actor: object  # None: a resident on the public page
    place: Place | None
    text: str
    channel: str
    title: str = ""
    kind: str = Kind.HELP
    category: object = None
    urgency: str = Urgency.NORMAL
    resident: object = None
    reporter_name: str = ""
    phone: str = ""
    location: str = ""
    photos: Sequence = ()
    submitted_at: datetime.datetime | None = None

    @property
    def is_public(self) -> bool:
        return self.actor is None

    def normalised(self) -> Submission:
        phone = (self.phone or "").strip().replace(" ", "")
        return replace(self, phone=phone, channel=Channel.WEB if self.is_public else self.channel)


def appeal_submit(*, actor, place: Place, text: str, channel: str, title: str = "", kind: str = Kind.HELP,
                  category=None, urgency: str = Urgency.NORMAL, resident=None, reporter_name: str = "",
                  phone: str = "", location: str = "", photos: Sequence = (),
                  submitted_at: datetime.datetime | None = None,
                  attach: Callable[[Appeal], Sequence[models.Model]] | None = None) -> Appeal:
    """Record a demand. actor=None is a resident on the public page. The returned appeal carries
    `tracking_token` (shown once: the secret link); only its hash is stored. `attach(appeal)` gives unsaved
    rows of the caller's own that belong with the demand (Open311's request record): appended in the demand's
    transaction with its other rows (core.appends), so the caller needs no transaction around this one.

    Receipt codes are random (32^5 a day); instead of a look-up before every insert, a rare clash
    is caught by the unique index and the submission retried once with the look-up on. Inside a
    caller's transaction the look-up is always done (an error would spoil the caller's transaction).
    """
    submission = Submission(
        actor=actor, place=place, text=text, channel=channel, title=title, kind=kind, category=category,
        urgency=urgency, resident=resident, reporter_name=reporter_name, phone=phone, location=location,
        photos=photos, submitted_at=submitted_at).normalised()
    if transaction.get_connection().in_atomic_block:
        return _submit(submission, attach, check_code=True)
    try:
        return _submit(submission, attach, check_code=False)
    except IntegrityError as exc:
        if "receipt_code" not in str(exc):
            raise
        return _submit(submission, attach, check_code=True)


@transaction.atomic
def _submit(sub: Submission, attach, *, check_code: bool) -> Appeal:
    _check_access(sub)
    _validate(sub)
    content_types = [photo_check(p) for p in sub.photos]
    now = sub.submitted_at or clock.now()
    _check_rate(sub, now)
    appeal, token = _new_appeal(sub, now, check_code=check_code)
    appends.rows_append([appeal])  # the INSERT without Django's compile (core.appends)
    for upload, content_type in zip(sub.photos, content_types):
        AppealPhoto.objects.create(appeal=appeal, image=upload, content_type=content_type, size=upload.size)
    with appends.joined():  # the caller's rows, the event, the mark, the notices, the outbox, the audit: one statement
        if attach is not None:
            appends.rows_append(attach(appeal))
        _record(appeal, sub, now)
    appeal.tracking_token = token
    return appeal


def _check_access(sub: Submission) -> None:
    """Staff need intake rights at the place (and to read the resident they name); the public page is open."""
    if sub.is_public:
        return
    ensure_can(sub.actor, "appeal.intake", sub.place.code if sub.place else None)
    if sub.resident is not None:
        ensure_can(sub.actor, "ledger.view", sub.resident.place_code)


def _validate(sub: Submission) -> None:
    errors = {}
    if sub.place is None:
        errors["place"] = [_("请选择地点。")]
    if len((sub.text or "").strip()) < 5:
        errors["text"] = [_("请用至少 5 个字描述问题。")]
    if sub.phone and not PHONE_RE.match(sub.phone):
        errors["phone"] = [_("请填写正确的手机号或座机号。")]
    if sub.is_public and not sub.phone:
        errors["phone"] = [_("请留下联系电话，以便我们回复您。")]
    if sub.channel not in Channel.values:
        errors["channel"] = [_("请选择渠道。")]
    if len(sub.photos) > PHOTO_MAX_COUNT:
        errors["photos"] = [_("最多上传 %(n)d 张照片。") % {"n": PHOTO_MAX_COUNT}]
    if errors:
        raise ValidationError(fields=errors)


def _check_rate(sub: Submission, now: datetime.datetime) -> None:
    """The public page's limits (RateLimited). Staff intake is not limited."""
    if not sub.is_public:
        return
    since = now - datetime.timedelta(days=1)
    if Appeal.objects.filter(phone_hash=lookup_hash(sub.phone), submitted_at__gte=since).count() >= PUBLIC_DAILY_LIMIT:
        raise RateLimited()


def _new_appeal(sub: Submission, now: datetime.datetime, *, check_code: bool) -> tuple[Appeal, str]:
    """The unsaved demand with its receipt code, deadline and phone; and the tracking token (shown once)."""
    token, digest = token_new()
    code = receipt_code_new(now)
    while check_code and Appeal.objects.filter(receipt_code=code).exists():
        code = receipt_code_new(now)
    level = service_level_for(sub.category, sub.urgency)
    text, resident = sub.text.strip(), sub.resident
    appeal = Appeal(
        receipt_code=code, token_hash=digest, place=sub.place, place_code=sub.place.code, resident=resident,
        reporter_name=(sub.reporter_name or (resident.name if resident else "")).strip()[:50],
        channel=sub.channel, kind=sub.kind, category=sub.category, urgency=sub.urgency,
        title=(sub.title or text).strip()[:100], text=text, location=sub.location.strip()[:200],
        created_by=sub.actor, submitted_at=now, response_deadline=add_working_days(now, level.response_days),
    )
    _set_phone(appeal, sub)
    return appeal, token


def _set_phone(appeal: Appeal, sub: Submission) -> None:
    """The phone given, else the resident's from the ledger: encrypted, with a lookup hash and a mask.
    Staff (and the API and hotline keys, which act as a user) checked the caller: their phone is proven;
    a phone typed on the public page gets no text until its holder enters the code (phone_verification)."""
    if sub.phone:
        appeal.phone_cipher, appeal.phone_hash = encrypt(sub.phone), lookup_hash(sub.phone)
        appeal.phone_masked = mask_phone(sub.phone)
    elif sub.resident is not None and sub.resident.phone_cipher:
        appeal.phone_cipher, appeal.phone_hash, appeal.phone_masked = (
            sub.resident.phone_cipher, sub.resident.phone_hash, sub.resident.phone_masked)
    if appeal.phone_cipher and not sub.is_public:
        appeal.phone_verified_at = appeal.submitted_at


def _record(appeal: Appeal, sub: Submission, now: datetime.datetime) -> None:
    """The timeline entry (and the dashboard mark, a hook), the notices, one audit row — in that order."""
    appeal_note(appeal, verb="submit", actor=sub.actor, from_status="", at=now, note=appeal.get_channel_display())
    # in the demand's transaction (issue 19): the staff notices and the SMS outbox row commit with the
    # demand in one commit instead of a second transaction after it
    notices.notify_submitted(appeal)
    # last: the audit chain's head row stays locked from here to the commit, and every write in the city
    # queues on it — with the notices after it, two submissions queued for their whole notice work
    audit_record(actor=sub.actor or RESIDENT, action="appeal.submit", obj=appeal, payload={
        "channel": sub.channel, "category": sub.category.name if sub.category else "", "photos": len(sub.photos)})
