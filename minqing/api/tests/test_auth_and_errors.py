"""Authentication (token, session + CSRF), token expiry and revocation, and the one error shape."""
import datetime

import pytest
from django.utils import timezone

from minqing.api.models import ApiToken
from minqing.api.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


def error_code(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]["code"]


def test_token_authenticates_as_its_owner(client, actors, bearer):
    response = client.get(ME, **bearer(actors["worker"], access="read"))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "t_worker" and body["token_access"] == "read"
    assert body["grants"] == [{"role": "community_worker", "place_code": "110105003001", "partner_unit_id": None}]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("headers, code", [
    ({}, "unauthenticated"),
    ({"HTTP_AUTHORIZATION": "Bearer mq_nope_nope"}, "token_invalid"),
    ({"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}, "unauthenticated"),
])
def test_missing_or_unknown_token_is_401(client, headers, code):
    response = client.get(ME, **headers)
    assert response.status_code == 401 and error_code(response) == code


def test_expired_token_is_401_token_expired(client, actors):
    token, raw = api_token_create(actor=actors["worker"], name="x")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and error_code(response) == "token_expired"


def test_revoked_token_is_401_token_revoked(client, actors):
    token, raw = api_token_create(actor=actors["worker"], name="x")
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(actor=actors["worker"], token_id=token.pk)
    response = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and error_code(response) == "token_revoked"


def test_token_of_deactivated_user_is_invalid(client, actors, bearer):
    headers = bearer(actors["worker"])
    actors["worker"].is_active = False
    actors["worker"].save()
    assert error_code(client.get(ME, **headers)) == "token_invalid"


def test_session_auth_for_the_pages_own_calls(client, actors):
    client.force_login(actors["grid"])
    response = client.get(ME)
    assert response.status_code == 200 and response.json()["token_prefix"] is None


def test_unknown_endpoint_is_404_in_the_shape(client):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_unknown_record_is_404_in_the_shape(client, actors, bearer):
    response = client.get("/api/v1/places/999999", **bearer(actors["admin"]))
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_wrong_method_is_405_in_the_shape(client, actors, bearer):
    response = client.delete(ME, **bearer(actors["admin"]))
    assert response.status_code == 405 and error_code(response) == "method_not_allowed"


def test_invalid_query_is_422_with_fields(client, actors, bearer):
    response = client.get("/api/v1/places?kind=planet", **bearer(actors["admin"]))
    assert response.status_code == 422 and error_code(response) == "invalid"
    assert list(response.json()["error"]["fields"]) == ["kind"]


def test_tampered_cursor_is_422_not_500(client, actors, bearer):
    import base64
    cursor = base64.b64encode(b"p=not-a-code&o=0").decode()
    response = client.get(f"/api/v1/places?cursor={cursor}", **bearer(actors["admin"]))
    assert response.status_code == 200  # a char position is valid text (it only pages); garbage base64 is not:
    response = client.get("/api/v1/places?cursor=%%%", **bearer(actors["admin"]))
    assert response.status_code == 422 and "cursor" in response.json()["error"]["fields"]
