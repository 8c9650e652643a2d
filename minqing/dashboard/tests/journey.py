"""The dashboard's step of the demands journey, shared by our journey test and the demands app's
browser journey (appeals/tests/test_browser_journey.py calls assert_dashboard_counts)."""
from __future__ import annotations

from django.utils import timezone

from minqing.jobs.registry import jobs_run_once
from minqing.core.tests.browser import fits_phone

PASSWORD = "correct-horse-battery"  # the factories' password


def assert_dashboard_counts(live_server, browser, appeal, *, username: str = "t_street") -> None:
    """After the scheduler's rollup job, the street's dashboard on a phone counts the journey's demand as
    responded in time, resolved and satisfied, and the drill-down lists it."""
    assert jobs_run_once()["dashboard.rollups_refresh"].startswith("recomputed")
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=current-user]")
        month = f"{timezone.localdate(appeal.submitted_at):%Y-%m}"
        page.goto(f"{live_server.url}/dashboard/?place={appeal.place_code[:9]}&period={month}")
        value = lambda key: page.text_content(f"[data-testid=rate-{key}] .value").strip()  # noqa: E731
        assert value("total") == "1"
        assert (value("response_rate"), value("resolution_rate"), value("satisfaction_rate")) == (
            "100.0%", "100.0%", "100.0%")
        assert fits_phone(page, 380)  # no sideways scrolling
        page.click("[data-testid=rate-satisfaction_rate] .fraction a >> nth=0")  # the satisfied demands
        assert page.text_content("[data-testid=drill-count]").strip() == "1"
        assert appeal.receipt_code in page.text_content("[data-testid=drill-list]")
    finally:
        context.close()
