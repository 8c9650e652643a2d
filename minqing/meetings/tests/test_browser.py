"""A community secretary on a 375-px phone records a meeting's opinions — one answered on the spot, one
made a demand in one tap — and at the next meeting of the series sees them reported back."""
import pytest

from minqing.appeals.models import Appeal, Channel
from minqing.meetings.models import MeetingKind, OpinionStatus
from minqing.core.tests.browser import fits_phone

from . import factories as mk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_opinions_recorded_on_a_phone_are_reported_back_next_time(phone_page, live_server, browser_login, tree,
                                                                    actors):
    secretary = actors["secretary"]
    people = [mk.resident(tree["building_a1"], name) for name in ("张秀英", "李建国", "王桂兰")]
    forum = mk.series(secretary, tree["community_a"], MeetingKind.FORUM, "A社区民情恳谈会")
    first = mk.held(secretary, forum, people, days_ago=30)
    page = phone_page
    browser_login(page, "t_secretary")
    page.goto(f"{live_server.url}/meetings/{first.pk}/")
    page.wait_for_selector("[data-testid=opinion-form]")
    assert fits_phone(page)
    # an opinion made a demand in one step
    page.select_option("select[name=resident]", str(people[0].pk))
    page.fill("textarea[name=text]", "小区南门路灯坏了一个月，晚上出行不安全")
    page.check("input[name=how][value=demand]")
    page.click("[data-testid=opinion-form] button[type=submit]")
    page.wait_for_selector("[data-testid=opinion-demand]")
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.MEETING and appeal.receipt_code in page.inner_text("[data-testid=opinions]")
    # an opinion answered on the spot
    page.select_option("select[name=resident]", str(people[1].pk))
    page.fill("textarea[name=text]", "希望社区增加老年人健身器材")
    page.check("input[name=how][value=answer]")
    page.fill("textarea[name=answer]", "已列入明年社区微改造计划")
    page.click("[data-testid=opinion-form] button[type=submit]")
    page.wait_for_selector("[data-testid=opinions] >> text=已列入明年社区微改造计划")
    assert fits_phone(page)
    assert sorted(first.opinions.values_list("status", flat=True)) == [OpinionStatus.ANSWERED, OpinionStatus.DEMAND]
    # the next meeting of the series reports back what became of both
    second = mk.meeting(secretary, forum, residents=people, days_ago=-7)
    page.goto(f"{live_server.url}/meetings/{second.pk}/")
    report = page.inner_text("[data-testid=report-back]")
    assert fits_phone(page)
    assert "小区南门路灯坏了一个月" in report and appeal.receipt_code in report and "待受理" in report
    assert "希望社区增加老年人健身器材" in report and "已列入明年社区微改造计划" in report
