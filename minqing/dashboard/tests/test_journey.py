"""The end of the demands journey: a resident submits on the public page on a phone, a worker
accepts and dispatches to a partner unit, the unit replies, the resident rates it on the tracking
page — and the dashboard counts it (after the scheduler's rollup job), down to the drill-down list.
The middle steps go through the services; the demands app's own browser test drives their pages."""
import re

import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.appeals.models import Appeal, Outcome
from minqing.appeals.services import appeal_accept, appeal_dispatch, appeal_reply, appeal_start
from minqing.core.tests.browser import fits_phone

from .journey import assert_dashboard_counts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_counts_the_residents_rating(browser, phone_page, live_server, tree, actors, flushable_audit):
    page = phone_page
    # a resident submits on the public page
    page.goto(f"{live_server.url}/appeals/submit/")
    page.select_option("select[name=place]", label="A社区")
    page.fill("input[name=phone]", "13912345678")
    page.fill("textarea[name=text]", "3号楼楼道灯坏了一周，晚上看不见路。")
    page.click("[data-testid=public-intake] button[type=submit]")
    link = page.text_content("[data-testid=tracking-link]").strip()
    appeal = Appeal.objects.get(receipt_code=page.text_content("[data-testid=receipt-code]").strip())

    # a worker accepts and dispatches to a partner unit, which replies
    unit = PartnerUnitFactory(name="安居物业公司", service_area=tree["community_a"])
    unit_user = user_with_role(Role.PARTNER_UNIT, tree["community_a"], partner_unit=unit, username="t_prop_j")
    secretary = actors["secretary"]
    appeal_accept(actor=secretary, appeal_id=appeal.pk)
    appeal_dispatch(actor=secretary, appeal_id=appeal.pk, leader=secretary, handler_unit=unit)
    appeal_start(actor=unit_user, appeal_id=appeal.pk)
    appeal_reply(actor=unit_user, appeal_id=appeal.pk, outcome=Outcome.SOLVED, text="已更换楼道灯。")

    # the resident rates it on the tracking page
    page.goto(link)
    page.check("input[name=satisfaction][value=satisfied]")
    page.click("[data-testid=rate] button[type=submit]")
    assert page.text_content("[data-testid=track-rating]").strip() == "评价：满意"

    # the scheduler runs; the street's dashboard counts it, and the drill-down lists it
    assert_dashboard_counts(live_server, browser, appeal)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_on_a_phone_with_data(phone_page, live_server, browser_login, tree, actors, flushable_audit):
    from minqing.dashboard.rollups import rollups_rebuild

    from .factories import october

    october(tree, actors)
    rollups_rebuild()
    browser_login(phone_page, "t_street")
    phone_page.goto(f"{live_server.url}/dashboard/?period=2026-10")
    assert phone_page.text_content("[data-testid=rate-response_rate] .value").strip() == "80.0%"
    assert fits_phone(phone_page, 380)
    assert phone_page.locator("[data-testid=trend-chart] rect.column").count() == 1
    phone_page.screenshot(path="/tmp/dashboard-phone.png", full_page=True)
    phone_page.select_option("select[name=place]", value=tree["community_b"].code)
    phone_page.click("[data-testid=dash-filters] button[type=submit]")
    assert re.search("B社区", phone_page.text_content("h1"))
    assert phone_page.text_content("[data-testid=rate-total] .value").strip() == "5"
