"""Places over the API (scope, not found, children), and two sweeps over the whole OpenAPI document:
every operation refuses an anonymous caller with 401 in the one shape, and documents its errors."""
import pytest

from minqing.api.v1 import api
from minqing.residents.services import household_create, resident_register

pytestmark = pytest.mark.django_db
OPERATIONS = [(method.upper(), path) for path, item in api.get_openapi_schema()["paths"].items() for method in item]


def test_places_are_scoped(client, actors, bearer, tree):
    codes = [p["code"] for p in client.get("/api/v1/places?page_size=200", **bearer(actors["grid"])).json()["results"]]
    assert codes == [tree["grid_a1"].code, tree["building_a1"].code]
    within = client.get(f"/api/v1/places?within={tree['community_b'].code}&kind=grid", **bearer(actors["admin"]))
    assert [p["name"] for p in within.json()["results"]] == ["B社区1网格", "B社区2网格"]


def test_place_get_and_children(client, actors, bearer, tree):
    headers = bearer(actors["worker"])
    place = client.get(f"/api/v1/places/{tree['community_a'].code}", **headers).json()
    assert place["kind"] == "community" and place["parent_code"] == tree["street"].code
    children = client.get(f"/api/v1/places/{tree['community_a'].code}/children", **headers).json()["results"]
    assert [c["code"] for c in children] == [tree["grid_a1"].code, tree["grid_a2"].code]
    for code in (tree["community_b"].code, "999999999"):
        response = client.get(f"/api/v1/places/{code}", **headers)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_submit_for_a_resident_of_the_ledger(client, actors, bearer, tree):
    household = household_create(actor=actors["admin"], building_id=tree["building_a1"].pk, room="101")
    resident = resident_register(actor=actors["admin"], household_id=household.pk, name="张三", phone="13812345678")
    other_home = household_create(actor=actors["admin"], building_id=tree["building_b1"].pk, room="202")
    stranger = resident_register(actor=actors["admin"], household_id=other_home.pk, name="李四")
    payload = {"place_code": tree["building_a1"].code, "text": "家中老人需要上门帮助", "channel": "visit"}
    created = client.post("/api/v1/appeals", {**payload, "resident_id": resident.pk}, content_type="application/json",
                          **bearer(actors["grid"]))
    assert created.status_code == 201 and created.json()["reporter_name"] == "张*" and created.json()["phone"] == "138****5678"
    refused = client.post("/api/v1/appeals", {**payload, "resident_id": stranger.pk}, content_type="application/json",
                          **bearer(actors["grid"]))
    assert refused.status_code == 404


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_every_operation_needs_credentials(client, method, path):
    url = path.replace("{code}", "110105").replace("{appeal_id}", "1").replace("{resident_id}", "1")
    response = client.generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_every_operation_documents_its_errors(method, path):
    responses = api.get_openapi_schema()["paths"][path][method.lower()]["responses"]
    assert {401, 404, 422, 429} <= {int(code) for code in responses}
    assert responses[404]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
