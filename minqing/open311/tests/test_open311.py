"""GeoReport v2 endpoint: services, definitions, submitting, querying, tokens, formats, errors, limits."""
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import override_settings

from minqing.appeals.models import Appeal, Channel
from minqing.open311.models import Open311Key, Open311Request

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def post(client, key, service, **fields):
    data = {"api_key": key, "service_code": str(service.pk), "description": "小区门口路灯不亮了",
            "phone": "13812345678", **fields}
    return client.post(f"{BASE}/requests.json", data)


def test_services_in_json_and_xml(client, service):
    services = client.get(f"{BASE}/services.json").json()
    entry = next(s for s in services if s["service_code"] == str(service.pk))
    assert entry == {"service_code": str(service.pk), "service_name": service.name, "description": str(service),
                     "metadata": True, "type": "realtime", "keywords": service.name, "group": service.parent.name}
    response = client.get(f"{BASE}/services.xml")
    assert response["Content-Type"].startswith("text/xml") and response.content.startswith(b"<?xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services" and root.find("service/metadata").text == "true"
    assert client.get(f"{BASE}/services").content.startswith(b"<?xml")  # XML when no format is given


def test_service_definition(client, service):
    definition = client.get(f"{BASE}/services/{service.pk}.json").json()
    assert definition["service_code"] == str(service.pk)
    kind = definition["attributes"][0]
    assert kind["code"] == "kind" and kind["datatype"] == "singlevaluelist"
    assert {"key": "complaint", "name": "投诉"} in kind["values"]
    root = ET.fromstring(client.get(f"{BASE}/services/{service.pk}.xml").content)
    assert root.tag == "service_definition" and root.find("attributes/attribute/values/value/key") is not None
    missing = client.get(f"{BASE}/services/999999.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_submit_as_resident_app_then_read_back(client, app_key, service, tree):
    response = post(client, app_key, service, address_id=tree["building_a1"].code, lat="39.9", long="116.4",
                    first_name="三丰", last_name="张", **{"attribute[kind]": "complaint"})
    assert response.status_code == 201, response.content
    created = response.json()[0]
    appeal = Appeal.objects.get(receipt_code=created["service_request_id"])
    assert appeal.channel == Channel.WEB and appeal.kind == "complaint" and appeal.category == service
    assert appeal.place == tree["building_a1"] and appeal.reporter_name == "张三丰" and appeal.created_by is None
    detail = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()[0]
    assert detail["status"] == "open" and detail["address_id"] == tree["building_a1"].code
    assert detail["lat"] == 39.9 and detail["expected_datetime"] and "13812345678" not in str(detail)
    assert "张" not in str(detail)  # nothing personal goes out
    token = client.get(f"{BASE}/tokens/{created['token']}.json").json()[0]
    assert token == {"service_request_id": created["service_request_id"], "token": created["token"]}


def test_submit_as_hotline_account_files_a_transfer(client, hotline_key, service, tree, actors):
    response = post(client, hotline_key, service, address_id=tree["community_a"].code, phone="")
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.TRANSFER and appeal.created_by == actors["street"]


def test_submit_outside_the_accounts_scope_is_refused(client, actors, service, tree):
    from minqing.open311.services import open311_key_create
    key = open311_key_create(actor="test", name="网格系统", user=actors["grid"], channel="transfer")[1]
    response = post(client, key, service, address_id=tree["grid_b1"].code)
    assert response.status_code == 404 and not Appeal.objects.exists()


def test_location_by_lat_long_picks_the_nearest_place(client, app_key, service, tree):
    tree["building_b2"].latitude, tree["building_b2"].longitude = 39.95, 116.45
    tree["building_b2"].save()
    tree["building_a1"].latitude, tree["building_a1"].longitude = 39.80, 116.30
    tree["building_a1"].save()
    assert post(client, app_key, service, lat="39.949", long="116.451").status_code == 201
    assert Appeal.objects.get().place == tree["building_b2"]


@pytest.mark.parametrize("fields, field", [
    ({"service_code": "999999"}, "service_code"),
    ({"service_code": ""}, "service_code"),
    ({"lat": "", "long": ""}, "lat"),
    ({"lat": "91", "long": "0"}, "lat"),
    ({"description": "灯"}, "text"),
    ({"phone": ""}, "phone"),
    ({"attribute[kind]": "magic"}, "attribute[kind]"),
    ({"address_id": "999"}, "address_id"),
])
def test_invalid_submission_is_400_in_the_spec_shape(client, app_key, service, fields, field):
    base = {"lat": "39.9", "long": "116.4"}
    response = post(client, app_key, service, **{**base, **fields})
    assert response.status_code == 400, response.content
    error = response.json()[0]
    assert error["code"] == 400 and error["description"].startswith(field)
    assert not Appeal.objects.exists()


def test_bad_or_missing_api_key_is_403_in_xml_too(client, service):
    response = client.post(f"{BASE}/requests.xml", {"service_code": service.pk, "description": "路灯不亮了"})
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "403"
    Open311Key.objects.update(is_active=False)
    assert post(client, "o311_x_y", service).status_code == 403


def test_requests_filters(client, app_key, service, tree):
    first = post(client, app_key, service, address_id=tree["grid_a1"].code).json()[0]["service_request_id"]
    second = post(client, app_key, service, address_id=tree["grid_b1"].code,
                  phone="13900000000").json()[0]["service_request_id"]
    Appeal.objects.filter(receipt_code=second).update(status="closed")
    ids = lambda **q: [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", q).json()]  # noqa: E731
    assert set(ids()) == {first, second}
    assert ids(status="open") == [first] and ids(status="closed") == [second]
    assert set(ids(service_request_id=f"{first},{second}", status="closed")) == {first, second}  # ids override
    assert ids(service_code="999999") == []
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == []
    assert ids(jurisdiction_id=tree["community_a"].code) == [first]
    bad = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})
    assert bad.status_code == 400 and bad.json()[0]["description"].startswith("start_date")
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "000000"}).status_code == 404


def test_only_open311_submissions_are_public(client, actors, tree, service):
    from minqing.appeals.services import appeal_submit
    appeal_submit(actor=actors["worker"], place=tree["grid_a1"], text="邻里纠纷，请调解", channel="walk_in")
    assert client.get(f"{BASE}/requests.json").json() == []
    receipt = Appeal.objects.get().receipt_code
    assert client.get(f"{BASE}/requests/{receipt}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/nope.xml").status_code == 404


def test_status_and_agency_follow_the_lifecycle(client, app_key, service, tree, actors):
    from minqing.appeals.services import appeal_accept, appeal_dispatch, appeal_reject
    rid = post(client, app_key, service, address_id=tree["grid_a1"].code).json()[0]["service_request_id"]
    appeal = Appeal.objects.get(receipt_code=rid)
    appeal_accept(actor=actors["worker"], appeal_id=appeal.pk)
    appeal_dispatch(actor=actors["worker"], appeal_id=appeal.pk, leader=actors["secretary"],
                    handler_user=actors["grid"])
    detail = client.get(f"{BASE}/requests/{rid}.json").json()[0]
    appeal.refresh_from_db()
    assert detail["status"] == "open" and detail["agency_responsible"] == str(actors["grid"])
    assert detail["expected_datetime"].startswith(appeal.handle_deadline.astimezone().strftime("%Y-%m-%d")[:4])
    rid2 = post(client, app_key, service, address_id=tree["grid_a1"].code,
                phone="13900000001").json()[0]["service_request_id"]
    appeal_reject(actor=actors["worker"], appeal_id=Appeal.objects.get(receipt_code=rid2).pk, reason="不属于本社区")
    assert client.get(f"{BASE}/requests/{rid2}.json").json()[0]["status"] == "closed"


@override_settings(MINQING_API_RATES={"address": "3/m", "open311_key": "2/m"})
def test_rate_limits_per_address_and_per_key(client, app_key, service, tree):
    for _ in range(3):
        assert client.get(f"{BASE}/services.json").status_code == 200
    limited = client.get(f"{BASE}/services.json")
    assert limited.status_code == 429 and limited.json()[0]["code"] == 429 and limited["Retry-After"]
    assert client.get(f"{BASE}/services.json", REMOTE_ADDR="10.0.0.9").status_code == 200  # another address
    assert post(client, app_key, service, address_id=tree["grid_a1"].code).status_code == 201
    assert post(client, app_key, service, address_id=tree["grid_a1"].code, phone="13900000002").status_code == 201
    assert post(client, app_key, service, address_id=tree["grid_a1"].code, phone="13900000003").status_code == 429


def test_idempotency_key_on_submission(client, app_key, service, tree):
    data = {"api_key": app_key, "service_code": str(service.pk), "description": "小区门口路灯不亮了",
            "phone": "13812345678", "address_id": tree["grid_a1"].code}
    first = client.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="fms-1001")
    again = client.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="fms-1001")
    assert first.json() == again.json() and Open311Request.objects.count() == 1


def test_wrong_method(client):
    assert client.delete(f"{BASE}/requests.json").status_code == 405


def test_management_command_prints_the_key_last(db, tree):
    out = io.StringIO()
    call_command("open311_key", "FixMyStreet 市民端", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    key = Open311Key.objects.get(name="FixMyStreet 市民端")
    assert raw.startswith(key.prefix + "_") and key.user is None and key.channel == "web"
    assert raw not in key.key_hash


def test_request_list_costs_constant_queries(client, app_key, service, tree, django_assert_max_num_queries):
    for n in range(6):
        post(client, app_key, service, address_id=tree["grid_a1"].code, phone=f"1390000000{n}")
    with django_assert_max_num_queries(2):
        listed = client.get(f"{BASE}/requests.xml")
    assert ET.fromstring(listed.content).tag == "service_requests" and len(ET.fromstring(listed.content)) == 6


def test_discovery(client):
    discovery = client.get(f"{BASE}/discovery.json").json()
    endpoint = discovery["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery" and [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]


@pytest.mark.parametrize("path", ["services.csv", "requests.html", "services/1.yaml"])
def test_unknown_format_is_404_in_the_spec_error_shape(client, service, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/xml")
    error = ET.fromstring(response.content).find("error")
    assert error.find("code").text == "404" and ".json" in error.find("description").text


def test_unknown_resource_is_404_in_the_spec_error_shape(client):
    response = client.get(f"{BASE}/nothing-here.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_wrong_method_is_405_in_the_spec_error_shape(client, method):
    response = getattr(client, method)(f"{BASE}/requests.json")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response.json()[0]["code"] == 405 and "PUT" in client.put(f"{BASE}/requests.json").json()[0]["description"]
    xml = getattr(client, method)(f"{BASE}/services.xml")
    assert xml.status_code == 405 and ET.fromstring(xml.content).find("error/code").text == "405"


def test_status_notes_carry_the_reason_given(client, app_key, service, tree, actors):
    from minqing.appeals.services import appeal_reject
    rid = post(client, app_key, service, address_id=tree["grid_a1"].code).json()[0]["service_request_id"]
    appeal_reject(actor=actors["worker"], appeal_id=Appeal.objects.get(receipt_code=rid).pk,
                  reason="属于物业合同纠纷", referral="区住建局")
    notes = client.get(f"{BASE}/requests/{rid}.json").json()[0]["status_notes"]
    assert "属于物业合同纠纷" in notes and "区住建局" in notes
