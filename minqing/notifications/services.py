"""Writing notifications and outbox messages, and delivering the outbox.

These are called by other apps' services (inside their transaction, usually via on_commit) and by
the scheduler. Notifications are not audited: they are a copy of facts already in the audit trail.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core import clock
from minqing.core.appends import rows_append
from minqing.core.audit import audit_record
from minqing.core.crypto import decrypt, encrypt, lookup_hash
from minqing.core.errors import RateLimited, ValidationError
from minqing.core.masking import mask_phone

from .gateways import gateway_get
from .messages import stored_text
from .models import Notification, OutboxMessage, OutboxStatus, PhoneChallenge

MAX_ATTEMPTS = 5


def notification_send(*, users: Iterable, kind: str, text: str = "", message: dict | None = None, url: str = "",
                      place_code: str = "", dedupe_key: str | None = None) -> int:
    """One notification per user (`users`: users or their ids); with a dedupe_key, a second call for the
    same user adds nothing. Give `message` (notifications.messages.message) so each reader reads it in their own language;
    `text` alone is shown as given. Nothing while history is replayed (core.clock): the past's notices
    are not news today."""
    if clock.replaying():
        return 0
    if message is not None:
        text = stored_text(message)
    user_ids = {getattr(user, "pk", user) for user in users if user is not None}
    rows = [
        Notification(user_id=user_id, kind=kind, text=text[:300], message=message or {}, url=url,
                     place_code=place_code, dedupe_key=f"{dedupe_key}:{user_id}" if dedupe_key else None)
        for user_id in sorted(user_ids)
    ]
    return len(rows_append(rows, ignore_conflicts=True))


def notification_mark_read(*, actor, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@dataclass(frozen=True)
class StoredPhone:
    """A phone as a record keeps it: encrypted, and masked for the screen. The outbox queues it as it is — a
    demand's receipt text decrypted the reporter's phone only to encrypt it again, two of the three Fernet
    operations of every submission (issue 19)."""
    cipher: str
    masked: str


def outbox_enqueue(*, phone: str | StoredPhone, text: str, place_code: str = "",
                   dedupe_key: str | None = None) -> bool:
    """Queue a text to a resident (False without a phone). A message with a dedupe_key already
    queued is not queued again (INSERT … ON CONFLICT DO NOTHING: no savepoint, safe inside any
    transaction). Nothing while history is replayed: a text about a past demand is not sent today."""
    if isinstance(phone, StoredPhone):
        cipher, masked = phone.cipher, phone.masked or (mask_phone(decrypt(phone.cipher)) if phone.cipher else "")
    else:
        cipher, masked = (encrypt(phone), mask_phone(phone)) if phone else ("", "")
    if not cipher or clock.replaying():
        return False
    rows_append([OutboxMessage(phone_cipher=cipher, phone_masked=masked, text=text[:500], place_code=place_code,
                               dedupe_key=dedupe_key)], ignore_conflicts=True)
    return True


def outbox_deliver_pending(now: datetime.datetime | None = None, *, batch: int = 200) -> str:
    """Send pending messages. Rows are claimed with SKIP LOCKED where the database has it, so two
    schedulers never send the same message; SQLite serialises writers instead."""
    gateway = gateway_get()
    sent = failed = 0
    with transaction.atomic():
        claimed = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(status=OutboxStatus.PENDING).order_by("created_at", "id")[:batch])
        for message in claimed:
            message.attempts += 1
            try:
                gateway.send(decrypt(message.phone_cipher), message.text)
            except Exception as exc:  # a gateway failure is recorded and retried, never raised
                message.last_error = type(exc).__name__
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
                failed += 1
            else:
                message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
                sent += 1
            message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return f"sent {sent}, failed {failed}"


# --- proving a phone before texting it (issue 13.5) -------------------------------------------------------

# Overridable by settings.MINQING_PHONE_CODE_LIMITS (any subset of these keys).
PHONE_CODE_LIMITS = {"per_number": 5, "per_address": 10, "per_site": 500,  # codes a day
                     "cooldown_seconds": 60, "tries": 5, "valid_minutes": 10}


def phone_code_limits() -> dict:
    return {**PHONE_CODE_LIMITS, **getattr(settings, "MINQING_PHONE_CODE_LIMITS", {})}


def _code_digest(code: str, salt: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"phone-code:{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _check_code_budget(*, phone_hash: str, address_hash: str, now: datetime.datetime) -> None:
    """RateLimited when this number was sent a code a moment ago, or a number, an address or the whole
    site has used its daily codes: the one text an unproven number may get cannot be used to flood it."""
    limits, day_ago = phone_code_limits(), now - datetime.timedelta(days=1)
    recent = PhoneChallenge.objects.filter(created_at__gte=day_ago)
    last = recent.filter(phone_hash=phone_hash).order_by("-created_at").values_list("created_at", flat=True).first()
    if last and (now - last).total_seconds() < limits["cooldown_seconds"]:
        wait = int(limits["cooldown_seconds"] - (now - last).total_seconds()) + 1
        raise RateLimited(_("验证码已发送，请 %(s)d 秒后再重新获取。") % {"s": wait})
    if recent.filter(phone_hash=phone_hash).count() >= limits["per_number"]:
        raise RateLimited(_("该手机号今天获取验证码的次数已达上限，请明天再试，或拨打社区电话。"))
    if recent.filter(address_hash=address_hash).count() >= limits["per_address"]:
        raise RateLimited(_("您今天获取验证码的次数已达上限，请明天再试，或拨打社区电话。"))
    if recent.count() >= limits["per_site"]:
        raise RateLimited(_("今天的验证短信已发完，请明天再试，或拨打社区电话。"))


PHONE_CODE_LOCK = 0x6D71_7063  # "mqpc": the advisory lock that queues code sends on PostgreSQL


def _serialise_code_sends() -> None:
    """Two simultaneous sends must not both pass a cap counted from the rows: on PostgreSQL they queue
    on a transaction-scoped advisory lock (a few hundred a day: no contention worth measuring); SQLite's
    IMMEDIATE transactions already queue writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PHONE_CODE_LOCK])


@transaction.atomic
def phone_challenge_send(*, actor, phone: str, subject: str, address: str, place_code: str = "",
                         now: datetime.datetime | None = None) -> PhoneChallenge:
    """Text a 6-digit code to `phone` (the only text an unproven number gets: it carries the code and
    nothing else). A newer code replaces older ones for the same subject. Audited, the code never."""
    now = now or timezone.now()
    phone_hash, address_hash = lookup_hash(phone), lookup_hash(f"address:{address}")
    _serialise_code_sends()
    _check_code_budget(phone_hash=phone_hash, address_hash=address_hash, now=now)
    code, salt = f"{secrets.randbelow(10**6):06d}", secrets.token_hex(16)
    limits = phone_code_limits()
    challenge = PhoneChallenge.objects.create(
        subject=subject, phone_hash=phone_hash, phone_masked=mask_phone(phone), address_hash=address_hash,
        salt=salt, code_hmac=_code_digest(code, salt), place_code=place_code,
        expires_at=now + datetime.timedelta(minutes=limits["valid_minutes"]))
    outbox_enqueue(phone=phone, place_code=place_code, dedupe_key=f"phone-code:{challenge.pk}",
                   text=_("【民情】验证码 %(code)s，%(m)d 分钟内有效。如非本人操作，请忽略。") % {
                       "code": code, "m": limits["valid_minutes"]})
    audit_record(actor=actor, action="phone.code_send", obj=challenge, payload={"subject": subject})
    return challenge


def phone_challenge_verify(*, actor, subject: str, code: str, on_verified: Callable[[PhoneChallenge], None],
                           now: datetime.datetime | None = None) -> PhoneChallenge:
    """Check `code` against the subject's latest code. Every try is counted and audited in its own
    commit before a wrong code is refused (a refusal must not roll the count back); after `tries`
    wrong codes the code is dead. `on_verified` runs in the same transaction as the success."""
    now, tries = now or timezone.now(), phone_code_limits()["tries"]
    with transaction.atomic():
        challenge = (PhoneChallenge.objects.select_for_update().filter(subject=subject, verified_at__isnull=True)
                     .order_by("-created_at", "-id").first())
        if challenge is None or challenge.expires_at <= now:
            outcome = "expired"
        elif challenge.attempts >= tries:
            outcome = "locked"
        else:
            outcome = _try_code(challenge, code=code, actor=actor, now=now)
            if outcome == "ok":
                on_verified(challenge)
    if outcome == "expired":
        raise ValidationError(fields={"code": [_("验证码已失效，请重新获取。")]})
    if outcome == "locked":
        raise RateLimited(_("验证码错误次数过多，请重新获取验证码。"))
    if outcome == "wrong":
        left = tries - challenge.attempts
        raise ValidationError(fields={"code": [
            _("验证码不正确，还可尝试 %(n)d 次。") % {"n": left} if left else _("验证码不正确，请重新获取验证码。")]})
    return challenge


def _try_code(challenge: PhoneChallenge, *, code: str, actor, now: datetime.datetime) -> str:
    challenge.attempts += 1
    matched = hmac.compare_digest(challenge.code_hmac, _code_digest((code or "").strip(), challenge.salt))
    if matched:
        challenge.verified_at = now
    challenge.save(update_fields=["attempts", "verified_at", "updated_at"])
    audit_record(actor=actor, action="phone.verify" if matched else "phone.verify_failed", obj=challenge,
                 payload={"subject": challenge.subject, "attempt": challenge.attempts})
    return "ok" if matched else "wrong"
