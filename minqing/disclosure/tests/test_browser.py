"""A resident on a phone reads the board, opens a welfare public notice and files an objection."""
import pytest

from minqing.welfare.models import Objection
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_resident_files_an_objection_on_the_phone(phone_page, live_server, tree, actors):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role
    from minqing.welfare.tests.factories import appraise, dibao_programme, household_with_members, submit, verify

    worker2 = user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_w2")
    household, _members = household_with_members(tree["building_a1"], names=("张三丰", "李秀英"))
    application = appraise(actors["secretary"], verify(actors["worker"], submit(
        actors["worker"], dibao_programme(tree["street"]), household), worker2))
    page = phone_page
    page.goto(f"{live_server.url}/public/c/{tree['community_a'].code}/")
    page.click("text=城市最低生活保障拟救助对象公示")
    page.wait_for_selector("[data-testid=notice]")
    body = page.inner_text("[data-testid=notice]")
    assert "张*丰" in body and "张三丰" not in body
    assert fits_phone(page)
    page.fill("textarea[name=text]", "该户家中有一辆营运货车")
    page.click("text=提交异议")
    page.wait_for_selector("[data-testid=objection-received]")
    objection = Objection.objects.get()
    assert objection.application_id == application.pk
    assert objection.receipt in page.inner_text("[data-testid=objection-received]")
