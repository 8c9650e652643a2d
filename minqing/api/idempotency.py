"""Idempotency-Key: a client that resends the same request with the same key gets the first answer.

The key row is inserted in the same transaction as the work. A retry arriving after the first
commit finds the row and replays its stored response; a retry racing the first one blocks on the
unique index (PostgreSQL) or the write lock (SQLite) until the first commits, then replays. If
the work fails (invalid input, conflict), the transaction rolls back the key with it, so a
corrected retry runs afresh. Reusing a key for a different request body is refused (422).
Keys are kept for KEY_RETENTION; `idempotency_purge` drops older ones.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core.errors import ValidationError

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_RETENTION = datetime.timedelta(days=1)
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,100}$")


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    try:
        digest.update(request.body)
    except RawPostDataException:  # a multipart body already streamed into request.POST
        digest.update(repr(sorted(request.POST.lists())).encode())
    return digest.hexdigest()


def idempotent(request, *, client: str, run: Callable[[], tuple[int, object]]) -> JsonResponse:
    """Run `run()` once per (client, key) and answer its (status, JSON body); repeats get the same answer."""
    status, body, replayed = idempotent_result(request, client=client, run=run)
    response = JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def idempotent_result(request, *, client: str, run: Callable[[], tuple[int, object]]) -> tuple[int, object, bool]:
    """(status, body, replayed): `run()`'s result, or the stored first result for a repeated key."""
    key = request.headers.get(HEADER)
    if key is None:
        return (*run(), False)
    if not _KEY_SHAPE.match(key):
        raise ValidationError(fields={HEADER: [_("幂等键须为 1–100 个可见 ASCII 字符。")]})
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client, key=key, method=request.method, path=request.path[:200], fingerprint=fingerprint,
                )
        except IntegrityError:
            previous = IdempotencyRecord.objects.get(client=client, key=key)
            if previous.fingerprint != fingerprint:
                raise ValidationError(_("该幂等键已用于另一个不同的请求。"), code="idempotency_key_reused",
                                      fields={HEADER: [_("请为不同的请求使用不同的幂等键。")]}) from None
            return previous.status_code, previous.response, True
        status, body = run()
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
    return status, body, False


def idempotency_purge(*, now=None) -> int:
    cutoff = (now or timezone.now()) - KEY_RETENTION
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotency_purge_job(now) -> str:
    """Scheduled (jobs registry): drop keys older than KEY_RETENTION."""
    return f"{idempotency_purge(now=now)} idempotency keys purged"
