"""Rate limits per token (and per user for session calls); the session path with CSRF for writes."""
import pytest
from django.test import Client, override_settings

from minqing.api.ratelimit import client_address, rate_for, rate_hit

pytestmark = pytest.mark.django_db


@override_settings(MINQING_API_RATES={"token": "3/m"})
def test_token_limit_is_per_token_with_retry_after(client, actors, bearer):
    first, second = bearer(actors["worker"]), bearer(actors["worker"])
    assert [client.get("/api/v1/me", **first).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/me", **first)
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/me", **second).status_code == 200  # another token has its own window


@override_settings(MINQING_API_RATES={"token": "2/m"})
def test_session_calls_count_per_user(client, actors):
    client.force_login(actors["worker"])
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]


def test_rates_parse_and_window():
    with override_settings(MINQING_API_RATES={"address": "5/10s"}):
        assert rate_for("address") == (5, 10)
    assert rate_for("token") == (600, 60)
    with override_settings(MINQING_API_RATES={"address": "2/h"}):
        results = [rate_hit("address", "203.0.113.7")[0] for _ in range(3)]
    assert results == [True, True, False]


def test_client_address_trusts_only_configured_proxies(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.2", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    with override_settings(MINQING_TRUSTED_PROXIES=1):
        assert client_address(request) == "198.51.100.2"  # the hop our proxy appended, not the spoofable first


def test_session_write_needs_csrf_token(actors, tree):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(actors["worker"])
    payload = {"place_code": tree["grid_a1"].code, "text": "楼道灯坏了一个星期了", "channel": "walk_in"}
    refused = csrf_client.post("/api/v1/appeals", payload, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    csrf_client.get("/api/tokens/")  # any page sets the csrftoken cookie, as in the browser
    token = csrf_client.cookies["csrftoken"].value
    accepted = csrf_client.post("/api/v1/appeals", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


def test_token_requests_need_no_csrf(actors, tree, bearer):
    csrf_client = Client(enforce_csrf_checks=True)
    payload = {"place_code": tree["grid_a1"].code, "text": "楼道灯坏了一个星期了", "channel": "walk_in"}
    response = csrf_client.post("/api/v1/appeals", payload, content_type="application/json",
                                **bearer(actors["worker"]))
    assert response.status_code == 201
