"""A branch secretary on a 375-px phone records this month's branch meeting: from the home page's party
panel to the plan, the attendance (one on leave with a reason, one absent) and the minutes."""
import datetime

import pytest

from minqing.party.models import Attendance, OrgSession, SessionStatus
from minqing.core.tests.browser import fits_phone

from .factories import member, org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_branch_secretary_records_a_monthly_meeting_on_a_phone(phone_page, live_server, browser_login, tree, actors):
    branch = org(tree["grid_a2"], name="第二地段党支部")
    present = member(branch, tree["building_a2"], "王建华", actor=actors["branch"])
    on_leave = member(branch, tree["building_a2"], "李秀珍", actor=actors["branch"])
    absent = member(branch, tree["building_a2"], "赵国强", actor=actors["branch"])
    page = phone_page
    browser_login(page, "t_branch")
    page.wait_for_selector("[data-testid=party-panel]")
    assert fits_phone(page)
    page.click("[data-testid=party-sessions-link]")
    page.click("[data-testid=session-new]")
    page.wait_for_selector("select[name=kind]")  # the new session's form, not the list the click left
    assert fits_phone(page)
    page.select_option("select[name=kind]", "members_meeting")
    page.fill("input[name=topic]", f"{datetime.date.today():%m}月支部党员大会：学习传达会议精神")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=hold-form]")
    assert fits_phone(page)
    page.check(f"[data-testid=attend-{on_leave.pk}] input[value=leave]")
    page.fill(f"[data-testid=attend-{on_leave.pk}] input[type=text]", "在医院陪护老人")
    page.check(f"[data-testid=attend-{absent.pk}] input[value=absent]")
    page.click("[data-testid=hold-submit]")
    page.wait_for_selector("[data-testid=minutes-form]")
    assert fits_phone(page)
    page.fill("textarea[name=minutes]", "传达学习上级会议精神；讨论冬季楼道清扫和独居老人结对。")
    page.click("[data-testid=minutes-submit]")
    page.wait_for_selector("[data-testid=attendance]")
    assert fits_phone(page)
    session = OrgSession.objects.get()
    assert session.status == SessionStatus.CLOSED and session.held_on == datetime.date.today()
    marks = dict(Attendance.objects.filter(session=session).values_list("member_id", "presence"))
    assert marks == {present.pk: "present", on_leave.pk: "leave", absent.pk: "absent"}
    assert Attendance.objects.get(member=on_leave).leave_reason == "在医院陪护老人"
