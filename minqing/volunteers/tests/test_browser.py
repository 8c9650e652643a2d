"""A resident signs up for an activity on a 375-px phone from the public list, keeps the secret link,
and cancels with it; nothing overflows the screen."""
import pytest

from minqing.volunteers.models import SignUp, SignUpStatus
from minqing.core.tests.browser import fits_phone

from .factories import activity_of, team_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_signs_up_and_cancels_on_a_phone(phone_page, live_server, tree, actors, flushable_audit):
    activity = activity_of(team_in(tree["community_a"], actors["worker"]), actors["worker"], places=1)
    page = phone_page
    page.goto(f"{live_server.url}/volunteers/join/")
    page.click(f"text={activity.title}")
    page.fill("input[name=name]", "王阿姨")
    page.fill("input[name=phone]", "13800000001")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=signup-done]")
    assert fits_phone(page)
    link = page.url.split("?")[0]
    # the one place is taken: a neighbour is told so
    page.goto(f"{live_server.url}/volunteers/join/{activity.pk}/")
    page.fill("input[name=name]", "李师傅")
    page.fill("input[name=phone]", "13800000002")
    page.click("button[type=submit]")
    assert "名额已满" in page.content()
    page.goto(link)
    page.click("[data-testid=cancel]")
    assert page.locator("[data-testid=signup-status]").inner_text() == "已取消"
    assert SignUp.objects.get().status == SignUpStatus.CANCELLED
    assert fits_phone(page)
