"""The round trip with a real GeoReport v2 client from PyPI (`georeport`), against a live server, in
JSON and in XML. georeport 0.3.1 reads (services, definitions, requests, one request) but has no
method to submit, so the POST goes through `requests` — the HTTP library georeport itself uses —
with exactly the form fields the spec defines."""
import pytest
import requests
from georeport import GeoReport

from minqing.appeals.models import Appeal

pytestmark = pytest.mark.django_db(transaction=True)


def as_list(parsed):
    """xmltodict gives a dict, not a one-item list, when an XML list holds a single element."""
    return [parsed] if isinstance(parsed, dict) else parsed


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_round_trip(live_site, tree, service, app_key, fmt):
    root = f"{live_site.url}/open311/v2"
    client = GeoReport(root, jurisdiction=tree["district"].code, api_key=app_key, output_format=fmt)

    services = as_list(client.get_service_list())
    chosen = next(s for s in services if s["service_code"] == str(service.pk))
    assert chosen["service_name"] == service.name
    definition = client.get_service_definition(chosen["service_code"])
    assert definition["service_code"] == str(service.pk)

    created = requests.post(f"{root}/requests.{fmt}", data={
        "api_key": app_key, "jurisdiction_id": tree["district"].code, "service_code": chosen["service_code"],
        "address_id": tree["building_a1"].code, "address_string": "1号楼东侧", "lat": "39.91", "long": "116.40",
        "description": "1号楼东侧路灯不亮", "phone": "13812345678", "attribute[urgency]": "urgent",
    }, timeout=10)
    assert created.status_code == 201, created.text
    request_id = created.json()[0]["service_request_id"] if fmt == "json" else \
        created.text.split("<service_request_id>")[1].split("<")[0]

    one = client.get_service_request(request_id)
    assert one["service_request_id"] == request_id and one["status"] == "open"
    assert one["address_id"] == tree["building_a1"].code and one["address"] == "1号楼东侧"
    listed = as_list(client.get_service_requests(status="open", service_code=chosen["service_code"]))
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert Appeal.objects.get(receipt_code=request_id).urgency == "urgent"
