"""The whole journey in real browsers: a resident submits on a phone → a worker accepts and dispatches
to a partner unit → the partner unit replies → the resident rates it on the tracking page."""
import re

import pytest

from minqing.appeals.models import Appeal, AppealEvent
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_dashboard_counts(live_server, browser, appeal):
    """The rates dashboard (issue 4 item 7) counts the journey's demand: responded, resolved, satisfied."""
    from minqing.dashboard.tests.journey import assert_dashboard_counts as dashboard_counts

    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.satisfaction, appeal.follow_up_by) == ("solved", "satisfied", "resident")
    dashboard_counts(live_server, browser, appeal)


def test_resident_to_partner_unit_and_back(browser, phone_page, desktop_page, live_server, browser_login, tree,
                                           actors, heating, flushable_audit):
    # 1. a resident submits on the public page, on a phone, without logging in
    phone_page.goto(f"{live_server.url}/appeals/submit/")
    assert fits_phone(phone_page)
    phone_page.select_option("select[name=place]", str(tree["community_a"].pk))
    phone_page.fill("input[name=phone]", "13912345678")
    phone_page.fill("textarea[name=text]", "1号楼暖气不热，家里只有十三度")
    phone_page.click("button[type=submit]")
    code = phone_page.inner_text("[data-testid=receipt-code]").strip()
    tracking_url = phone_page.url.split("?")[0]
    assert re.fullmatch(r"\d{6}[2-9A-Z]{5}", code) and "/appeals/t/" in tracking_url
    assert phone_page.inner_text("[data-testid=track-status]") == "待受理"
    assert fits_phone(phone_page)
    appeal = Appeal.objects.get(receipt_code=code)

    # 2. the community secretary accepts and dispatches it to the heating company (三定)
    browser_login(desktop_page, "t_secretary")
    desktop_page.goto(f"{live_server.url}/appeals/todo/")
    desktop_page.click(f"[data-testid=todo-new] [data-code='{code}'] a")
    desktop_page.click("[data-testid=action-accept] button[type=submit]")
    assert desktop_page.inner_text("[data-testid=appeal-status]") == "已受理"
    dispatch = desktop_page.locator("[data-testid=action-dispatch]")
    dispatch.locator("select[name=dispatch-leader]").select_option(str(actors["secretary"].pk))
    dispatch.locator("select[name=dispatch-handler_unit]").select_option(str(heating["unit"].pk))
    dispatch.locator("button[type=submit]").click()
    assert desktop_page.inner_text("[data-testid=appeal-status]") == "已派单"
    assert "渝阳供热站" in desktop_page.inner_text("[data-testid=three-fixes]")

    # 3. the partner unit logs in, finds it in its inbox, signs for it and replies
    unit_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                       timezone_id="Asia/Shanghai")
    unit_page = unit_context.new_page()
    unit_page.set_default_timeout(15000)
    browser_login(unit_page, "t_heat")
    unit_page.goto(f"{live_server.url}/appeals/inbox/")
    unit_page.click(f"[data-code='{code}'] a")
    unit_page.click("[data-testid=action-start] button[type=submit]")
    reply = unit_page.locator("[data-testid=action-reply]")
    reply.locator("select[name=reply-outcome]").select_option("solved")
    reply.locator("textarea[name=reply-text]").fill("已派师傅上门排气，暖气恢复正常，室温二十度。")
    reply.locator("[data-testid=reply-check]").click()  # scored before sending; the draft stays
    assert unit_page.inner_text("[data-testid=appeal-status]") == "办理中"
    assert "答复质量" in unit_page.inner_text("[data-testid=reply-score]")
    reply.locator("button.primary").click()
    assert unit_page.inner_text("[data-testid=appeal-status]") == "已答复"
    unit_context.close()

    # 4. the resident opens the secret link again, reads the reply and rates it
    phone_page.goto(tracking_url)
    assert "室温二十度" in phone_page.inner_text("[data-testid=track-reply]")
    phone_page.check("[data-testid=rate] input[value=satisfied]")
    phone_page.click("[data-testid=rate] button[type=submit]")
    assert phone_page.inner_text("[data-testid=track-status]") == "已办结"  # the resident's rating closes it
    assert "满意" in phone_page.inner_text("[data-testid=track-rating]")
    assert fits_phone(phone_page)
    verbs = list(AppealEvent.objects.filter(appeal=appeal).values_list("verb", flat=True))
    assert verbs == ["submit", "accept", "dispatch", "start", "reply", "follow_up", "close"]

    # 5. the dashboard counts it (hook: see assert_dashboard_counts)
    assert_dashboard_counts(live_server, browser, appeal)
