"""A grid worker creates a token on a phone, sees it once, and revokes it; the page fits 375 px."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_see_once_and_revoke_on_a_phone(phone_page, live_server, actors, browser_login, flushable_audit):
    browser_login(phone_page, "t_grid")
    phone_page.goto(f"{live_server.url}/api/tokens/")
    phone_page.fill("input[name=name]", "网格巡查App")
    phone_page.select_option("select[name=access]", "read")
    phone_page.click("button[type=submit].primary")
    secret = phone_page.locator("[data-testid=token-secret] .api-secret-value").inner_text().strip()
    assert secret.startswith("mq_")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    culprits = phone_page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 375)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert width <= 375, culprits
    phone_page.goto(f"{live_server.url}/api/tokens/")
    assert secret not in phone_page.content()
    phone_page.click("button.danger")
    phone_page.wait_for_selector("text=已撤销")
    assert phone_page.locator(".tag.bad").count() == 1
