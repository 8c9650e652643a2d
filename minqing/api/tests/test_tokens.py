"""Personal tokens: created and revoked by their owner, shown once, stored hashed, expiring, scoped."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.api.models import ApiToken
from minqing.api.services import api_token_create, api_token_revoke, token_digest
from minqing.core.errors import NotFound, ValidationError
from minqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_audited(actors):
    token, raw = api_token_create(actor=actors["worker"], name="供热工单", access="read", expires_in_days=30)
    assert raw.startswith(token.prefix + "_") and len(raw) > 40
    assert token.key_hash == token_digest(raw) and raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert AuditEntry.objects.for_object(token).get().action == "api_token.create"
    assert timezone.now() + datetime.timedelta(days=29) < token.expires_at


def test_token_create_refuses_bad_input(actors):
    with pytest.raises(ValidationError) as exc:
        api_token_create(actor=actors["worker"], name=" ", access="admin", expires_in_days=7)
    assert set(exc.value.fields) == {"name", "access", "expires_in_days"}


def test_only_owner_or_account_manager_revokes(actors):
    token, _raw = api_token_create(actor=actors["worker"], name="x")
    with pytest.raises(NotFound):
        api_token_revoke(actor=actors["grid"], token_id=token.pk)
    api_token_revoke(actor=actors["admin"], token_id=token.pk)
    token.refresh_from_db()
    assert token.is_revoked
    again = api_token_revoke(actor=actors["worker"], token_id=token.pk)  # repeating is a no-op
    assert again.revoked_at == token.revoked_at
    assert AuditEntry.objects.for_object(token).filter(action="api_token.revoke").count() == 1


def test_token_page_shows_secret_once_then_only_prefix(client, actors):
    client.force_login(actors["worker"])
    response = client.post(reverse("api:token_list"), {"name": "物业系统", "access": "write", "expires_in_days": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=actors["worker"])
    secret = response.context["secret"]
    assert token.key_hash == token_digest(secret)
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("api:token_list")).content.decode()
    assert secret not in again and token.prefix in again


def test_token_page_revoke(client, actors):
    token, _raw = api_token_create(actor=actors["worker"], name="x")
    client.force_login(actors["worker"])
    response = client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)
    assert "令牌已撤销" in response.content.decode()
    token.refresh_from_db()
    assert token.is_revoked


def test_token_page_invalid_form(client, actors):
    client.force_login(actors["worker"])
    response = client.post(reverse("api:token_list"), {"name": "", "access": "write", "expires_in_days": "90"})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_token_page_needs_login(client):
    response = client.get(reverse("api:token_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_idempotency_keys_are_purged_after_a_day(actors):
    from minqing.api.idempotency import idempotency_purge_job
    from minqing.api.models import IdempotencyRecord
    from minqing.jobs.registry import registered_jobs

    IdempotencyRecord.objects.create(client="user:1", key="old", method="POST", path="/", fingerprint="x")
    IdempotencyRecord.objects.create(client="user:1", key="new", method="POST", path="/", fingerprint="x")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert idempotency_purge_job(timezone.now()) == "1 idempotency keys purged"
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert "api.idempotency_purge" in {job.name for job in registered_jobs()}
