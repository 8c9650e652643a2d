"""In a real browser on a phone: as the worker types, insight.js shows the top 3 categories with the words
behind them next to the category field (no inline script, CSP intact); a click on a subcategory selects it."""
import pytest

from minqing.appeals.taxonomy import Category
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _baseline_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_suggestions_while_typing_on_a_phone(phone_page, live_server, browser_login, tree, actors, flushable_audit):
    browser_login(phone_page, "t_secretary")
    errors = []
    phone_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone_page.goto(f"{live_server.url}/appeals/new/")
    phone_page.fill("textarea[name=text]", "孩子今年该上小学了，想咨询划片入学的政策")
    phone_page.wait_for_selector("[data-testid=category-suggestion]")
    first = phone_page.locator("[data-testid=category-suggestion]").first
    assert first.locator("strong").inner_text() == "教育" and "依据" in first.inner_text()
    assert phone_page.locator("[data-testid=category-suggestion]").count() == 3
    first.locator("button.chip", has_text="入学").click()
    enrol = Category.objects.get(parent__name="教育", name="入学")
    assert phone_page.input_value("select[name=category]") == str(enrol.pk)
    assert fits_phone(phone_page)
    assert not [e for e in errors if "Content Security Policy" in e or "insight" in e]


def test_insight_panels_fit_a_phone(phone_page, live_server, browser_login, tree, actors, flushable_audit):
    from minqing.accounts.tests.factories import PartnerUnitFactory
    from minqing.appeals.models import Status

    from .factories import AppealFactory, appeal_in

    unit = PartnerUnitFactory(name="渝阳供热站第一分站维修班", service_area=tree["street"])
    for i in range(4):
        appeal_in(Status.CLOSED, place=tree["building_a1"], handler_unit=unit, title=f"幸福家园小区暖气不热{i}",
                  text="幸福家园小区3号楼暖气一直不热，室温只有十四度，家里老人孩子受不了，请尽快派人来看看", phone_hash=f"h{i}",
                  reply_text="您好，经现场核实系管道阀门堵塞，已更换阀门，室温恢复正常。" * 3)
    new = appeal_in(Status.ACCEPTED, place=tree["building_a1"], title="幸福家园小区暖气不热",
                    text="幸福家园小区3号楼暖气一直不热，室温只有十四度，家里老人孩子受不了，请尽快派人来看看")
    AppealFactory(place=tree["building_a1"], title="幸福家园小区暖气不热", text=new.text, phone_hash="x")
    browser_login(phone_page, "t_secretary")
    phone_page.goto(f"{live_server.url}/appeals/{new.pk}/")
    assert phone_page.locator("[data-testid=similar-appeal]").count() == 5
    phone_page.click("[data-testid=handler-prefill]")
    assert phone_page.input_value("select[name=dispatch-handler_unit]") == str(unit.pk)
    assert fits_phone(phone_page)
    phone_page.goto(f"{live_server.url}/insight/hot/")
    assert phone_page.locator("[data-testid=hot-issue]").count() >= 1
    assert fits_phone(phone_page)
