"""Two journeys in Chromium: a worker drafting a reply inserts a suggested policy answer with one click
(recorded as used); a grid worker takes a quiz on a 375-px phone."""
import pytest
from django.db import OperationalError

from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.training.models import PolicySuggestionLog, QuizAttempt
from minqing.core.tests.browser import fits_phone

from .factories import answer, quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def test_insert_a_suggested_policy_answer_into_the_reply(desktop_page, live_server, browser_login, tree, actors):
    a = answer(actors["street"], tree["street"], "高龄津贴每月发多少？", "80至89周岁每人每月100元。")
    answer(actors["street"], tree["street"], "公租房怎么申请", "无住房的家庭可申请。", topic="housing")
    demand = appeal_in(Status.IN_PROGRESS, place=tree["grid_a1"], handler=actors["worker"],
                       title="父亲高龄补贴没到账", text="我父亲今年85岁，高龄津贴这个月没有发")
    page = desktop_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(page, "t_worker")
    page.goto(f"{live_server.url}/appeals/{demand.pk}/")
    page.wait_for_selector("[data-testid=policy-insert]")
    assert "高龄津贴每月发多少" in page.inner_text("[data-testid=policy-suggestions]")
    # Wait for the use to be recorded before reading the database: on SQLite's shared in-memory test
    # database a read while the live server writes fails with "table is locked" on either side.
    with page.expect_response(lambda r: "/use/" in r.url and r.request.method == "POST") as recorded:
        page.click("[data-testid=policy-insert] >> nth=0")
    assert recorded.value.status == 200
    assert "80至89周岁每人每月100元。（《测试办法》）" in page.input_value("textarea[name=reply-text]")
    page.wait_for_function("1")  # let the use be recorded
    for _ in range(50):
        try:
            log = PolicySuggestionLog.objects.filter(appeal=demand).first()
        except OperationalError:  # SQLite's shared in-memory test database: the server thread is writing
            log = None
        if log and log.used:
            break
        page.wait_for_timeout(100)
    assert log.used == [a.pk]
    assert not [e for e in errors if "Content Security Policy" in e]


def test_take_a_quiz_on_a_phone(phone_page, live_server, browser_login, tree, actors):
    q = quiz(actors["secretary"], tree["community_a"])
    single, multiple = q.questions.all()
    page = phone_page
    browser_login(page, "t_grid")
    page.goto(f"{live_server.url}/training/")
    page.click(f"text={q.title} >> nth=0")
    page.wait_for_selector("[data-testid=quiz-form]")
    for choice in single.choices.filter(correct=True):
        page.check(f"input[value='{choice.pk}']")
    for choice in multiple.choices.filter(correct=True):
        page.check(f"input[value='{choice.pk}']")
    page.click("[data-testid=quiz-submit]")
    page.wait_for_selector("[data-testid=quiz-result]")
    assert "得分 100" in page.inner_text("[data-testid=quiz-result]")
    assert fits_phone(page)
    assert QuizAttempt.objects.get().passed
