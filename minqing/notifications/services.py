"""Writing notifications and outbox messages, and delivering the outbox.

These are called by other apps' services (inside their transaction, usually via on_commit) and by
the scheduler. Notifications are not audited: they are a copy of facts already in the audit trail.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from minqing.core.crypto import decrypt, encrypt
from minqing.core.masking import mask_phone

from .gateways import gateway_get
from .messages import stored_text
from .models import Notification, OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 5


def notification_send(*, users: Iterable, kind: str, text: str = "", message: dict | None = None, url: str = "",
                      place_code: str = "", dedupe_key: str | None = None) -> int:
    """One notification per user; with a dedupe_key, a second call for the same user adds nothing.
    Give `message` (notifications.messages.message) so each reader reads it in their own language;
    `text` alone is shown as given."""
    if message is not None:
        text = stored_text(message)
    rows = [
        Notification(user=user, kind=kind, text=text[:300], message=message or {}, url=url, place_code=place_code,
                     dedupe_key=f"{dedupe_key}:{user.pk}" if dedupe_key else None)
        for user in {u.pk: u for u in users if u is not None}.values()
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def notification_mark_read(*, actor, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def outbox_enqueue(*, phone: str, text: str, place_code: str = "", dedupe_key: str | None = None) -> bool:
    """Queue a text to a resident (False without a phone). A message with a dedupe_key already
    queued is not queued again (INSERT … ON CONFLICT DO NOTHING: no savepoint, safe inside any
    transaction)."""
    if not phone:
        return False
    OutboxMessage.objects.bulk_create([OutboxMessage(
        phone_cipher=encrypt(phone), phone_masked=mask_phone(phone), text=text[:500], place_code=place_code,
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
