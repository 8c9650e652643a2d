"""A resident answers a survey on a 375-px phone, from the public link (the QR code's target): every
question kind, a refused submit that keeps what was typed, then the thanks page; a second try with
the same phone is refused in plain words. Nothing overflows the screen; the CSP stays intact."""
import pytest

from minqing.surveys.models import Answer, Response
from minqing.core.tests.browser import fits_phone

from .factories import survey_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_answers_a_survey_on_a_phone(phone_page, live_server, tree, actors, flushable_audit):

    survey, q = survey_with_questions(tree["community_a"], actors["secretary"], staff=actors["worker"])
    errors = []
    phone_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page = phone_page
    page.goto(f"{live_server.url}/surveys/s/{survey.public_token}/")
    assert fits_phone(page)
    page.get_by_label("每月").check()
    page.get_by_label("环境卫生").check()
    page.get_by_label("养老").check()
    page.locator(f"input[name=q_{q['scale'].pk}][value='4']").check()
    page.get_by_role("radio", name="不满意").check()  # …without a reason: refused, answers kept
    page.fill("[data-testid=phone]", "13900000001")
    page.click("[data-testid=submit]")
    assert "选择不满意时，请写一句理由" in page.locator(f"[data-field=q_{q['staff'].pk}]").inner_text()
    assert page.get_by_label("每月").is_checked() and page.get_by_label("养老").is_checked()
    page.fill(f"input[name=r_{q['staff'].pk}]", "电话总是打不通")
    page.fill(f"textarea[name=q_{q['text'].pk}]", "希望多组织老年人活动")
    page.fill("[data-testid=phone]", "13900000001")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=thanks]")
    assert Response.objects.count() == 1 and Answer.objects.count() == 5
    # the same phone again
    page.goto(f"{live_server.url}/surveys/s/{survey.public_token}/")
    page.get_by_label("每周").check()
    page.get_by_label("治安").check()
    page.locator(f"input[name=q_{q['scale'].pk}][value='5']").check()
    page.get_by_role("radio", name="满意", exact=True).check()
    page.fill("[data-testid=phone]", "13900000001")
    page.click("[data-testid=submit]")
    assert "每人只能答一次" in page.locator("[data-testid=survey-error]").inner_text()
    assert fits_phone(page)
    assert Response.objects.count() == 1
    assert not [e for e in errors if "Content Security Policy" in e]
