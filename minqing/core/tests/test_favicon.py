"""Every page links an icon, and /favicon.ico (which browsers ask for anyway) is served."""
import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/favicon.ico")
    assert client.head("/favicon.ico").status_code == 301


def test_pages_link_the_icon(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico"' in html


def test_the_icon_files_are_found_by_staticfiles():
    from django.contrib.staticfiles import finders
    ico = finders.find("favicon.ico")
    with open(ico, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO header
    assert finders.find("favicon.svg")
