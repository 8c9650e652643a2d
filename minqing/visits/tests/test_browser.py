"""A grid worker at the door, on a 375-px phone: picks the household from the to-do list, files the
visit with a need, and turns the need into a demand in one tap."""
import pytest

from minqing.appeals.models import Appeal, Channel
from minqing.visits.models import NeedStatus, Visit
from minqing.core.tests.browser import fits_phone

from .factories import household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_visit_at_the_door_and_need_to_demand(phone_page, live_server, browser_login, tree, actors):
    home = household(tree["building_a1"], "张三丰", tags=["elder_alone"])
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/visits/")
    assert fits_phone(page)
    page.click(f"[data-testid=visit-{home.pk}]")
    page.wait_for_selector("[data-testid=visit-form]")
    assert fits_phone(page)
    page.click("text=访贫问苦")
    page.fill("textarea[name=notes]", "老人独居，身体尚可，冬季取暖正常。")
    page.fill("textarea[name=needs]", "楼道灯坏了三天，晚上老人出门不安全")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=needs]")
    assert fits_phone(page)
    visit = Visit.objects.get()
    assert visit.kind == "care" and visit.household_id == home.pk
    page.click("[data-testid=to-demand]")
    page.wait_for_selector("[data-testid=need-demand]")
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.VISIT and appeal.receipt_code in page.inner_text("[data-testid=need-demand]")
    assert visit.needs.get().status == NeedStatus.DEMAND


def test_visit_form_shows_field_errors_and_keeps_input(phone_page, live_server, browser_login, tree, actors):
    home = household(tree["building_a1"], "李四")
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/visits/new/?household={home.pk}")
    page.fill("input[name=visited_on]", "2099-01-01")
    page.fill("textarea[name=notes]", "记录不要丢")
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=日期不能晚于今天。")
    assert page.input_value("textarea[name=notes]") == "记录不要丢"
    assert not Visit.objects.exists()


def test_household_search_on_the_phone(phone_page, live_server, browser_login, tree, actors):
    home = household(tree["building_a1"], "王秀英")
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/visits/new/")
    page.fill("[data-testid=household-q]", "王秀英")
    page.press("[data-testid=household-q]", "Enter")
    page.click(f"[data-testid=pick-{home.pk}]")
    page.wait_for_selector("[data-testid=visit-form]")
    assert fits_phone(page)
