import pytest
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_logs_in_on_a_phone_and_sees_their_home_page(phone_page, live_server, actors, browser_login):
    browser_login(phone_page, "t_grid")
    assert "您好" in phone_page.inner_text("[data-testid=home-title]")
    assert "网格员" in phone_page.inner_text("[data-testid=my-roles]")
    # the page fits a 375-px screen: nothing forces horizontal scrolling
    assert fits_phone(phone_page)
    # the menu opens and offers the grid worker's own work, not the admin site
    phone_page.click("summary")
    menu = phone_page.inner_text("nav")
    assert "区划网格" in menu and "系统管理" not in menu


def test_css_is_served_locally(desktop_page, live_server, actors, browser_login):
    requests = []
    desktop_page.on("request", lambda r: requests.append(r.url))
    browser_login(desktop_page, "t_admin")
    assert requests and all(url.startswith(live_server.url) for url in requests)


def test_the_menu_is_open_on_a_desktop_screen(desktop_page, live_server, actors, browser_login):
    browser_login(desktop_page, "t_secretary")
    assert desktop_page.is_visible("nav >> text=区划网格")
    assert not desktop_page.is_visible("summary")
