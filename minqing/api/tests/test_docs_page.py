"""The interactive docs: Swagger UI served from our own origin (ninja's packaged static files, no CDN),
working under the site's CSP without loosening it."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_from_our_origin_under_csp(desktop_page, live_server):
    requested, violations = [], []
    desktop_page.on("request", lambda r: requested.append(r.url))
    desktop_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = desktop_page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    desktop_page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert desktop_page.locator(".swagger-ui .opblock").count() >= 10
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    assert violations == []


def test_openapi_document_is_openapi_3(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.") and document["info"]["title"] == "Minqing API"
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])
