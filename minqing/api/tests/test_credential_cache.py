"""Tokens, their owners and grants are cached per process (issue 19), and every way of taking a token's
power away still works: in the process that made the change at once, in every other process within
about a second (the stamp file), and the submission costs fewer queries."""
import os
import time

import pytest
from django.utils import timezone

from minqing.accounts.models import RoleAssignment
from minqing.api.models import ApiToken
from minqing.api.services import api_token_revoke
from minqing.appeals.taxonomy import Category
from minqing.core import ttlcache

pytestmark = pytest.mark.django_db
JSON = "application/json"


def me(client, headers):
    return client.get("/api/v1/me", **headers)


def another_process_committed():
    """What another worker's commit of a watched row does to this one: it moves the stamp file."""
    path = ttlcache._stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_revocation_in_this_process_is_seen_at_once(client, actors, bearer, django_capture_on_commit_callbacks):
    headers = bearer(actors["worker"])
    assert me(client, headers).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(actor=actors["worker"], token_id=ApiToken.objects.get().pk)
    assert me(client, headers).json()["error"]["code"] == "token_revoked"


def test_revocation_by_another_process_is_seen_within_the_stamp_check(client, actors, bearer, monkeypatch):
    # given a token this process has cached
    headers = bearer(actors["worker"])
    assert me(client, headers).status_code == 200
    ttlcache.stamp_check(force=True)
    # when another process revokes it (no signal here: a plain UPDATE, then that process's stamp bump)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert me(client, headers).status_code == 200  # the cached copy, until the stamp is looked at
    another_process_committed()
    monkeypatch.setattr(ttlcache, "STAMP_CHECK_SECONDS", 0)  # the second has passed
    # then
    assert me(client, headers).json()["error"]["code"] == "token_revoked"


def test_the_commit_moves_the_stamp(actors, bearer, django_capture_on_commit_callbacks):
    bearer(actors["worker"])
    before = ttlcache._stamp_mtime()
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(actor=actors["worker"], token_id=ApiToken.objects.get().pk)
    assert ttlcache._stamp_mtime() != before


def test_a_removed_grant_or_a_deactivated_owner_is_seen_at_once(client, actors, bearer):
    worker = actors["worker"]
    headers = bearer(worker)
    assert me(client, headers).json()["grants"]
    RoleAssignment.objects.get(user=worker).delete()
    assert me(client, headers).json()["grants"] == []
    worker.is_active = False
    worker.save()
    assert me(client, headers).json()["error"]["code"] == "token_invalid"


def test_a_request_cannot_change_the_cached_owner_for_the_next(actors, bearer):
    from minqing.api.selectors import api_token_find

    raw = bearer(actors["worker"])["HTTP_AUTHORIZATION"].split()[1]
    first = api_token_find(raw=raw)
    first.user.display_name = "changed by a request"
    assert api_token_find(raw=raw).user.display_name != "changed by a request"


def test_submission_query_budget(client, actors, bearer, tree, django_assert_max_num_queries):
    category = Category.objects.filter(parent__isnull=False, is_active=True).first()
    headers = bearer(actors["worker"])
    payload = {"place_code": tree["grid_a1"].code, "text": "楼道灯坏了一个星期了", "channel": "phone",
               "category_id": category.pk, "phone": "13812345678", "reporter_name": "张三丰"}
    assert client.post("/api/v1/appeals", payload, content_type=JSON, **headers).status_code == 201
    # token, owner, grants, place, category and service level cached; the audit append without a savepoint:
    # the test transaction's savepoint pair, the receipt-code check (in a test's transaction only), the demand,
    # the chain head, and its other rows (event, dirty day, notice, SMS outbox, audit row) — on PostgreSQL one
    # statement (core.appends.joined), elsewhere one each
    from django.db import connection

    with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 10):
        assert client.post("/api/v1/appeals", payload, content_type=JSON, **headers).status_code == 201
