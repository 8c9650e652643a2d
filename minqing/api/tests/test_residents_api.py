"""Residents over the API: masked reads, register/edit through the ledger services, scope, idempotency."""
import pytest

from minqing.core.models import AuditEntry
from minqing.residents.models import Resident
from minqing.residents.services import household_create, resident_register

pytestmark = pytest.mark.django_db
ID_NUMBER = "110105199003071239"


@pytest.fixture
def households(tree, actors):
    return {
        "a": household_create(actor=actors["admin"], building_id=tree["building_a1"].pk, room="1单元101"),
        "b": household_create(actor=actors["admin"], building_id=tree["building_b1"].pk, room="2单元202"),
    }


@pytest.fixture
def resident_a(households, actors):
    return resident_register(actor=actors["admin"], household_id=households["a"].pk, name="张三丰",
                             id_number=ID_NUMBER, phone="13812345678")


def code_of(response):
    return response.json()["error"]["code"]


def test_list_is_masked_and_scoped(client, actors, bearer, households, resident_a, django_assert_max_num_queries):
    resident_register(actor=actors["admin"], household_id=households["b"].pk, name="李四")
    headers = bearer(actors["worker"], access="read")  # community A only
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/residents", **headers)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["name"] for r in results] == ["张三丰"]
    assert results[0]["id_number"] == "**************1239" and results[0]["phone"] == "138****5678"
    assert ID_NUMBER not in response.content.decode() and "13812345678" not in response.content.decode()


def test_list_cursor_pagination(client, actors, bearer, households):
    for n in range(5):
        resident_register(actor=actors["admin"], household_id=households["a"].pk, name=f"居民{n}", relation="other")
    headers = bearer(actors["admin"])
    first = client.get("/api/v1/residents?page_size=2", **headers).json()
    second = client.get(first["next"], **headers).json()
    third = client.get(second["next"], **headers).json()
    names = [r["name"] for page in (first, second, third) for r in page["results"]]
    assert names == [f"居民{n}" for n in (4, 3, 2, 1, 0)] and third["next"] is None


def test_get_outside_scope_is_not_found(client, actors, bearer, households):
    other = resident_register(actor=actors["admin"], household_id=households["b"].pk, name="李四")
    response = client.get(f"/api/v1/residents/{other.pk}", **bearer(actors["worker"]))
    assert response.status_code == 404 and code_of(response) == "not_found"
    assert client.get("/api/v1/residents/999999", **bearer(actors["admin"])).status_code == 404


def test_get_unauthenticated(client, resident_a):
    response = client.get(f"/api/v1/residents/{resident_a.pk}")
    assert response.status_code == 401 and code_of(response) == "unauthenticated"


def test_register_through_the_service(client, actors, bearer, households):
    payload = {"household_id": households["a"].pk, "name": "王五", "id_number": ID_NUMBER, "phone": "13900001111"}
    response = client.post("/api/v1/residents", payload, content_type="application/json", **bearer(actors["worker"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number"] == "**************1239" and body["sex"] == "M" and body["birth_date"] is None and body["age"] is not None  # the full date only beside no ID number
    resident = Resident.objects.get(pk=body["id"])
    assert AuditEntry.objects.for_object(resident).get().action == "resident.register"


def test_register_refused_for_a_role_that_may_not(client, actors, bearer, households):
    payload = {"household_id": households["a"].pk, "name": "王五"}
    response = client.post("/api/v1/residents", payload, content_type="application/json",
                           **bearer(actors["supervisor"]))
    assert response.status_code == 403 and code_of(response) == "forbidden"


def test_register_outside_scope_is_not_found(client, actors, bearer, households):
    payload = {"household_id": households["b"].pk, "name": "王五"}
    response = client.post("/api/v1/residents", payload, content_type="application/json", **bearer(actors["worker"]))
    assert response.status_code == 404 and code_of(response) == "not_found"


def test_register_invalid_input_names_the_fields(client, actors, bearer, households):
    payload = {"household_id": households["a"].pk, "name": "王五", "id_number": "110105199003071234"}
    response = client.post("/api/v1/residents", payload, content_type="application/json", **bearer(actors["worker"]))
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == ["id_number"]
    response = client.post("/api/v1/residents", {"name": 5}, content_type="application/json",
                           **bearer(actors["worker"]))
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"household_id", "name"}


def test_read_only_token_cannot_write(client, actors, bearer, households):
    payload = {"household_id": households["a"].pk, "name": "王五"}
    response = client.post("/api/v1/residents", payload, content_type="application/json",
                           **bearer(actors["worker"], access="read"))
    assert response.status_code == 403 and code_of(response) == "token_read_only"
    assert not Resident.objects.exists()


def test_register_is_idempotent_per_key(client, actors, bearer, households):
    headers = {**bearer(actors["worker"]), "HTTP_IDEMPOTENCY_KEY": "reg-001"}
    payload = {"household_id": households["a"].pk, "name": "王五"}
    first = client.post("/api/v1/residents", payload, content_type="application/json", **headers)
    again = client.post("/api/v1/residents", payload, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Resident.objects.count() == 1
    changed = client.post("/api/v1/residents", {**payload, "name": "赵六"}, content_type="application/json", **headers)
    assert changed.status_code == 422 and code_of(changed) == "idempotency_key_reused"


def test_update_with_version_and_conflict(client, actors, bearer, resident_a):
    headers = bearer(actors["worker"])
    response = client.patch(f"/api/v1/residents/{resident_a.pk}", {"occupation": "退休", "version": 1},
                            content_type="application/json", **headers)
    assert response.status_code == 200 and response.json()["occupation"] == "退休"
    stale = client.patch(f"/api/v1/residents/{resident_a.pk}", {"occupation": "教师", "version": 1},
                         content_type="application/json", **headers)
    assert stale.status_code == 409 and code_of(stale) == "conflict"


def test_update_invalid_and_not_found(client, actors, bearer, resident_a):
    headers = bearer(actors["worker"])
    bad = client.patch(f"/api/v1/residents/{resident_a.pk}", {"phone": "12"}, content_type="application/json",
                       **headers)
    assert bad.status_code == 422 and list(bad.json()["error"]["fields"]) == ["phone"]
    missing = client.patch("/api/v1/residents/999999", {"occupation": "x"}, content_type="application/json", **headers)
    assert missing.status_code == 404


def test_update_refuses_null_for_required_fields(client, actors, bearer, resident_a):
    response = client.patch(f"/api/v1/residents/{resident_a.pk}", {"is_floating": None, "occupation": None},
                            content_type="application/json", **bearer(actors["worker"]))
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"is_floating", "occupation"}
