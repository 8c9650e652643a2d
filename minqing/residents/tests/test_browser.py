"""The ledger on a 375-px phone: find a resident, open their household, see masked data, fix a form error."""
import pytest
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_grid_worker_finds_a_resident_on_a_phone(phone_page, live_server, actors, ledger, browser_login):
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/residents/")
    assert fits_phone(page)
    page.fill("input[name=q]", "zdm")
    page.click(".ledger-search button[type=submit]")
    page.click("text=张德明")
    assert page.inner_text("[data-testid=id-masked]") == ledger["a1"].id_number_masked
    assert page.inner_text("[data-testid=phone-masked]") == "138****5678"
    assert fits_phone(page)
    page.click("text=查看完整号码（将记入审计）")
    page.fill("#reveal-reason", "核对身份")
    page.click("button[value=phone]")
    assert page.inner_text("[data-testid=revealed]") == "13812345678"
    page.goto(f"{live_server.url}/residents/households/{ledger['h_a1'].pk}/")
    assert "李秀兰" in page.inner_text("#members") and fits_phone(page)


def test_a_wrong_id_number_is_explained_next_to_the_field(phone_page, live_server, actors, ledger, browser_login):
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/residents/households/{ledger['h_a1'].pk}/members/new/")
    page.fill("input[name=name]", "张小宝")
    page.select_option("select[name=relation]", "grandchild")
    page.fill("input[name=id_number]", "500110201503021239")
    page.click("form.narrow-form button[type=submit]")
    assert page.inner_text("[data-field=id_number]") == "身份证号校验位不正确，请核对。"
    assert page.input_value("input[name=name]") == "张小宝"
    assert fits_phone(page)
