"""On a phone: a grid worker files this week's screening ("nothing found"); the community secretary
sees an alert on the home page, opens it, reads why it fired and records what was done."""
import datetime

import pytest
from django.utils import timezone

from minqing.alerts.models import Alert, Status
from minqing.alerts.rules import warning_rules_run
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screening_then_alert_handled_from_the_home_page(phone_page, live_server, browser_login, flushable_audit,
                                                        tree, actors, make_dispute):
    page = phone_page
    # the grid worker's week: nothing found, said so
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/disputes/screening/")
    assert "A社区1网格" in page.inner_text("[data-testid=silent-grids]")
    page.click("text=填报本周排查")
    page.check("#id_found_nothing")
    page.fill("#id_households_visited", "23")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=screening-rounds]")
    assert "本周各网格均已填报" in page.inner_text("[data-testid=silent-grids]")
    assert "未发现" in page.inner_text("[data-testid=screening-rounds]")
    assert page.locator("[data-testid=alerts-panel]").count() == 0  # grid workers get no alert panel

    # a major dispute passes its deadline; the scheduler's run raises a red alert
    make_dispute("mediating", title="改制职工讨薪", risk_level="major", risk_reasons="36人",
                 deadline=timezone.localdate() - datetime.timedelta(days=2))
    warning_rules_run()
    page.context.clear_cookies()
    browser_login(page, "t_secretary")
    panel = page.locator("[data-testid=alerts-panel]")
    assert "重大风险纠纷逾期：改制职工讨薪" in panel.inner_text()
    panel.locator("text=重大风险纠纷逾期：改制职工讨薪").click()
    assert "已过 2 天" in page.inner_text("[data-testid=alert-explanation]")
    page.fill("[name=action_taken]", "书记带队约谈职工代表，明确三日内答复补偿方案。")
    page.click("text=记录处置")
    page.wait_for_selector("text=已记录处置情况。")
    assert page.inner_text("[data-testid=alert-status]") == "已处置"
    assert fits_phone(page)
    alert = Alert.objects.get(rule="dispute_overdue")
    assert alert.status == Status.HANDLED and alert.handled_in_time
