"""The API does what its OpenAPI document says (issue 14, item 13): dates are dates, NUL and non-object
bodies are 422 in the error shape, messages follow the language, unknown referenced ids are 404,
required texts may not be blank, masked values cannot be written back, and 403/404 as docs/api.md says."""
import pytest

from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.residents.services import household_create, resident_register
from minqing.residents.tests.factories import valid_id_number

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def resident(tree, actors):
    household = household_create(actor=actors["admin"], building_id=tree["building_a1"].pk, room="1单元101")
    return resident_register(actor=actors["admin"], household_id=household.pk, name="张三")


def error(response) -> dict:
    return response.json()["error"]


@pytest.mark.parametrize("body", [b'{"occupation": "a\x00b"}', b'{"occupation": "a\\u0000b"}'])
def test_nul_in_json_is_422_in_the_error_shape(client, actors, bearer, resident, body):
    response = client.patch(f"/api/v1/residents/{resident.pk}", body, content_type=JSON, **bearer(actors["admin"]))
    assert response.status_code == 422 and error(response)["code"] == "invalid"
    assert error(response)["fields"] == {"body": ["不能包含空字符（NUL）。"]}


@pytest.mark.parametrize("body", [b"[null, null]", b'"x"', b"3"])
def test_a_body_that_is_not_an_object_is_refused(client, actors, bearer, resident, body):
    response = client.patch(f"/api/v1/residents/{resident.pk}", body, content_type=JSON, **bearer(actors["admin"]))
    assert response.status_code == 422 and list(error(response)["fields"]) == ["body"]


def test_broken_json_is_400_with_a_message_in_the_users_language(client, actors, bearer, resident):
    response = client.patch(f"/api/v1/residents/{resident.pk}", b"{bad", content_type=JSON, **bearer(actors["admin"]))
    assert response.status_code == 400 and error(response) == {
        "code": "bad_request", "message": "请求体不是有效的 JSON。", "fields": {}}


@pytest.mark.parametrize("value", ["0", "20261117", "2026-13-01", "1700000000"])
def test_a_date_parameter_takes_only_dates(client, actors, bearer, value):
    response = client.get(f"/api/v1/appeals?submitted_to={value}", **bearer(actors["admin"]))
    assert response.status_code == 422 and error(response)["fields"] == {"submitted_to": ["须为日期，格式如 2026-11-17。"]}
    assert client.get("/api/v1/appeals?submitted_to=2026-11-17", **bearer(actors["admin"])).status_code == 200


@pytest.mark.parametrize("cursor", ["abc", "%C2%A7L", "cD1hYmM="])
def test_cursor_errors_are_translated(client, actors, bearer, resident, cursor):
    response = client.get(f"/api/v1/residents?cursor={cursor}", **bearer(actors["admin"]))
    assert response.status_code == 422
    assert error(response)["fields"] == {"cursor": ["无效的分页游标：请从第一页重新开始。"]}


def test_validation_messages_are_not_pydantics_english(client, actors, bearer, resident):
    response = client.post("/api/v1/residents", {"household_id": "x", "name": "李四", "birth_date": "x"},
                           content_type=JSON, **bearer(actors["admin"]))
    assert response.status_code == 422
    assert error(response)["fields"] == {"household_id": ["须为整数。"], "birth_date": ["须为日期，格式如 2026-11-17。"]}


def test_blank_required_text_is_refused_as_the_schema_says(client, actors, bearer, resident, tree):
    blank = client.post("/api/v1/residents", {"household_id": resident.household_id, "name": "  "},
                        content_type=JSON, **bearer(actors["admin"]))
    assert blank.status_code == 422 and error(blank)["fields"] == {"name": ["不能为空。"]}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["ResidentIn"]["properties"]["name"]["pattern"] == r"\S"
    assert schema["AppealIn"]["properties"]["text"]["pattern"] == r"\S"


def test_masked_values_from_get_are_refused_by_the_schema(client, actors, bearer, resident):
    shown = client.get(f"/api/v1/residents/{resident.pk}", **bearer(actors["admin"])).json()
    resident_register(actor=actors["admin"], household_id=resident.household_id, name="王五",
                      id_number=valid_id_number(sequence=77))
    masked = client.get("/api/v1/residents?q=王五", **bearer(actors["admin"])).json()["results"][0]["id_number"]
    response = client.post("/api/v1/residents", {**{k: shown[k] for k in ("household_id", "relation")},
                                                  "name": "赵六", "id_number": masked},
                           content_type=JSON, **bearer(actors["admin"]))
    assert "*" in masked and response.status_code == 422 and list(error(response)["fields"]) == ["id_number"]
    described = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ResidentIn"]
    assert "脱敏值不能写回" in described["properties"]["id_number"]["description"]


def test_unknown_referenced_ids_are_404_as_documented(client, actors, bearer, tree):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    response = client.post(f"/api/v1/appeals/{appeal.pk}/accept", {"category_id": 999999}, content_type=JSON,
                           **bearer(actors["worker"]))
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    document = client.get("/api/v1/openapi.json").json()
    assert "404" in document["paths"]["/api/v1/appeals/{appeal_id}/accept"]["post"]["responses"]


def test_403_and_404_as_docs_api_md_says(client, actors, bearer, tree, resident):
    appeal = appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    # the inspector sees the demand but may not accept it: 403 forbidden
    seen = client.post(f"/api/v1/appeals/{appeal.pk}/accept", {}, content_type=JSON, **bearer(actors["supervisor"]))
    assert seen.status_code == 403 and error(seen)["code"] == "forbidden"
    # a building head, in scope for the place but whose role never sees demands: 404, existence not leaked
    unseen = client.get(f"/api/v1/appeals/{appeal.pk}", **bearer(actors["building"]))
    assert unseen.status_code == 404 and error(unseen)["code"] == "not_found"
    with open("docs/api.md", encoding="utf-8") as docs:
        text = docs.read()
    assert "your role may see this record here, but may not do this" in text
    assert "your role never sees this kind of record" in text
