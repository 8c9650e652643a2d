"""The survey builder, answering once per person, closing, editing refused once answered, results,
Excel and QR codes, ratings of named staff and the 民评官 scores the assessment app reads."""
import datetime
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from minqing.appeals.models import Status
from minqing.appeals.tests.factories import TOKEN, appeal_in
from minqing.core.audit import AuditEntry
from minqing.core.crypto import lookup_hash
from minqing.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from minqing.surveys import selectors, services
from minqing.surveys.models import QuestionKind, Response, StaffRating

from .factories import answer, answers_for, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(tree, actors):
    return survey_with_questions(tree["community_a"], actors["secretary"], staff=actors["worker"])


def test_one_answer_per_person_and_nothing_plain_stored(survey):
    s, q = survey
    response = answer(s, q, phone="13900000001")
    with pytest.raises(Conflict) as exc:
        answer(s, q, phone="139 0000 0001")
    assert exc.value.code == "already_answered"
    assert str(exc.value.message) == "这个手机号已经答过本问卷，每人只能答一次，感谢参与。"
    # the hash is salted per survey: not the ledger's lookup hash, so answers cannot be joined to residents
    assert response.respondent_hash != lookup_hash("13900000001")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        assert "13900000001" not in repr(cursor.fetchall())
    assert AuditEntry.objects.filter(action="surveys.response.submit").count() == 1


def test_the_same_phone_answers_another_survey(tree, actors, survey):
    s, q = survey
    other, oq = survey_with_questions(tree["community_a"], actors["secretary"], title="另一份")
    first, second = answer(s, q), answer(other, oq)
    assert first.respondent_hash != second.respondent_hash


def test_a_survey_cannot_be_edited_once_answered(actors, survey):
    s, q = survey
    services.question_add(actor=actors["secretary"], survey_id=s.pk, kind=QuestionKind.TEXT, text="补充一题",
                          required=False)
    answer(s, q)
    for edit in (
        lambda: services.question_add(actor=actors["secretary"], survey_id=s.pk, kind=QuestionKind.TEXT, text="再加"),
        lambda: services.question_remove(actor=actors["secretary"], question_id=q["text"].pk),
        lambda: services.survey_update(actor=actors["secretary"], survey_id=s.pk, title="改个标题"),
    ):
        with pytest.raises(ValidationError) as exc:
            edit()
        assert exc.value.code == "survey_answered"
        assert str(exc.value.message) == "已有居民作答，问卷不能再修改；如需调整，请新建一份问卷。"


def test_closed_at_its_date_and_by_hand(actors, survey):
    s, q = survey
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(survey_id=s.pk, phone="13900000001", answers=answers_for(q),
                               now=s.closes_at + datetime.timedelta(seconds=1))
    assert exc.value.code == "survey_closed"
    services.survey_close(actor=actors["secretary"], survey_id=s.pk)
    with pytest.raises(ValidationError, match="问卷已结束"):
        answer(s, q)


def test_a_draft_is_not_public(client, tree, actors):
    draft, _q = survey_with_questions(tree["community_a"], actors["secretary"], publish=False)
    assert client.get(reverse("surveys:answer", args=[draft.public_token])).status_code == 404
    with pytest.raises(NotFound):
        selectors.public_survey_get(token=draft.public_token)


@pytest.mark.parametrize("override,field,message", [
    ({"scale": 6}, "scale", "请打 1 到 5 分。"),
    ({"scale": ""}, "scale", "此题必答。"),
    ({"single": 9}, "single", "请选择一个选项。"),
    ({"staff": ("dissatisfied", "")}, "staff", "选择不满意时，请写一句理由，便于改进。"),
])
def test_answers_are_checked_question_by_question(survey, override, field, message):
    s, q = survey
    with pytest.raises(ValidationError) as exc:
        answer(s, q, **override)
    assert exc.value.fields == {f"q_{q[field].pk}": [message]}
    assert not Response.objects.exists()


def test_publish_needs_questions_and_a_future_deadline(tree, actors):
    empty = services.survey_create(actor=actors["secretary"], place=tree["community_a"], title="空",
                                   closes_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="还没有题目"):
        services.survey_publish(actor=actors["secretary"], survey_id=empty.pk)


ROLE_MATRIX = {  # building a survey in community A
    "admin": None, "street": None, "secretary": None,
    "worker": PermissionDenied, "supervisor": PermissionDenied,  # they read results, they do not build
    "grid": NotFound, "building": NotFound, "branch": NotFound, "partner": NotFound,
}


@pytest.mark.parametrize("role,expected", ROLE_MATRIX.items())
def test_role_matrix_for_building_a_survey(tree, actors, role, expected):
    call = lambda: services.survey_create(actor=actors[role], place=tree["community_a"], title="测评",  # noqa: E731
                                          closes_at=timezone.now() + datetime.timedelta(days=1))
    if expected is None:
        assert call().pk
    else:
        with pytest.raises(expected):
            call()


def test_staff_question_names_only_staff_of_the_place(tree, actors):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    outsider = user_with_role(Role.COMMUNITY_WORKER, tree["community_b"])
    s = services.survey_create(actor=actors["street"], place=tree["community_a"], title="测评",
                               closes_at=timezone.now() + datetime.timedelta(days=1))
    services.question_add(actor=actors["street"], survey_id=s.pk, kind="staff", text="网格员", staff=actors["grid"])
    with pytest.raises(ValidationError) as exc:
        services.question_add(actor=actors["street"], survey_id=s.pk, kind="staff", text="外人", staff=outsider)
    assert exc.value.fields == {"staff": ["请选择本范围内的干部。"]}


def test_results_and_scores_by_hand(tree, actors, survey):
    # given three answers: scale 5, 4, 2; staff 满意, 基本满意, 不满意
    s, q = survey
    answer(s, q, phone="13900000001", single=0, multiple=(0, 1), scale=5, staff=("satisfied", ""))
    answer(s, q, phone="13900000002", single=0, multiple=(0,), scale=4, staff=("basic", ""), text="多组织活动")
    answer(s, q, phone="13900000003", single=2, multiple=(2,), scale=2, staff=("dissatisfied", "回复太慢"))
    # then the results
    results = {item["question"].pk: item for item in selectors.survey_results(survey=s)}
    assert results[q["single"].pk]["counts"] == [("每周", 2), ("每月", 0), ("很少", 1)]
    assert results[q["multiple"].pk]["counts"] == [("环境卫生", 2), ("治安", 1), ("养老", 1)]
    assert results[q["scale"].pk]["mean"] == 3.67 and results[q["text"].pk]["texts"] == ["多组织活动"]
    assert results[q["staff"].pk]["reasons"] == ["回复太慢"]
    # and the scores: mean 11/3 → (11/3 − 1) / 4 × 100 = 66.7; staff (100 + 60 + 0) / 3 = 53.3, 2/3 satisfied
    today = timezone.localdate()
    scores = selectors.survey_scores(tree["street"].code, today, today)
    assert scores["communities"] == {tree["community_a"].code: {"responses": 3, "scale_answers": 3,
                                                                "scale_mean": 3.67, "score": 66.7}}
    assert scores["staff"] == {actors["worker"].pk: {"satisfied": 1, "basic": 1, "dissatisfied": 1, "ratings": 3,
                                                     "score": 53.3, "satisfied_share": 0.6667}}
    assert selectors.survey_scores(tree["community_b"].code, today, today) == {"communities": {}, "staff": {}}
    yesterday = today - datetime.timedelta(days=1)
    assert selectors.survey_scores(tree["street"].code, yesterday, yesterday)["staff"] == {}


def test_rating_the_handler_from_the_tracking_page(client, tree, actors):
    appeal = appeal_in(Status.REPLIED, place=tree["building_a1"], handler=actors["worker"], leader=actors["secretary"])
    track = reverse("appeals:track", args=[appeal.receipt_code, TOKEN])
    assert 'data-testid="staff-rating"' in client.get(track).content.decode()
    url = reverse("surveys:appeal_rate", args=[appeal.receipt_code, TOKEN])
    client.post(url, {"rating": "dissatisfied", "reason": ""})
    assert not StaffRating.objects.exists()
    assert client.post(url, {"rating": "basic", "reason": "态度好，进度慢"}).status_code == 302
    client.post(url, {"rating": "satisfied"})  # once per demand
    rating = StaffRating.objects.get()
    assert (rating.staff, rating.rating, rating.source, rating.place_code) == (
        actors["worker"], "basic", "appeal", tree["community_a"].code)
    assert "您的评价：基本满意" in client.get(track).content.decode()
    assert client.post(reverse("surveys:appeal_rate", args=[appeal.receipt_code, "wrong"]),
                       {"rating": "basic"}).status_code == 404


def test_no_rating_before_the_reply(tree, actors):
    appeal = appeal_in(Status.DISPATCHED, place=tree["building_a1"], handler=actors["worker"])
    with pytest.raises(ValidationError) as exc:
        services.staff_rate_from_appeal(receipt_code=appeal.receipt_code, token=TOKEN, rating="satisfied")
    assert exc.value.code == "not_replied"


def test_pages_results_excel_and_qr(client, actors, survey, django_assert_max_num_queries):
    s, q = survey
    for n in range(5):
        answer(s, q, phone=f"1390000000{n}")
    client.force_login(actors["secretary"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("surveys:results", args=[s.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:list")).status_code == 200
    page = client.get(reverse("surveys:results", args=[s.pk])).content.decode()
    assert "<svg" in page and "共 5 份答卷" in page
    book = load_workbook(io.BytesIO(client.get(reverse("surveys:export", args=[s.pk])).content))
    assert book.sheetnames == ["汇总", "答卷"] and book["答卷"].max_row == 6
    svg = client.get(reverse("surveys:qr", args=[s.pk, "svg"]))
    png = client.get(reverse("surveys:qr", args=[s.pk, "png"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("surveys:qr", args=[s.pk, "gif"])).status_code == 404
    client.force_login(actors["grid"])
    assert client.get(reverse("surveys:results", args=[s.pk])).status_code == 404


def test_public_page_answers_and_refuses_a_second_time(client, survey):
    s, q = survey
    url = reverse("surveys:answer", args=[s.public_token])
    data = {f"q_{q['single'].pk}": "1", f"q_{q['multiple'].pk}": ["0", "2"], f"q_{q['scale'].pk}": "5",
            f"q_{q['staff'].pk}": "satisfied", "phone": "13900000009"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 422 and "每人只能答一次" in again.content.decode()


@override_settings(MINQING_API_RATES={"public_form_address": "1/m"})
def test_public_answers_are_rate_limited(client, survey):
    s, _q = survey
    url = reverse("surveys:answer", args=[s.public_token])
    client.post(url, {"phone": "1"})
    assert client.post(url, {"phone": "2"}).status_code == 429


@pytest.fixture
def back_to_chinese():
    """The language a request activates stays on the test thread: leave it as the next test expects."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def test_pages_are_english_after_switching_language(client, actors, survey, back_to_chinese):
    s, _q = survey
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("surveys:answer", args=[s.public_token])).content.decode()
    assert "Mobile number" in html and "Satisfied" in html and "手机号" not in html
    client.force_login(actors["secretary"])
    html = client.get(reverse("volunteers:index")).content.decode()
    assert "Volunteer teams and associations" in html and "志愿服务队与协会" not in html
    assert "Surveys" in html


def test_a_malformed_answer_is_refused_in_plain_words(survey):
    s, q = survey
    answers = answers_for(q)
    answers[q["single"].pk] = "abc"
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(survey_id=s.pk, phone="13900000001", answers=answers)
    assert exc.value.fields == {f"q_{q['single'].pk}": ["请按题目要求作答。"]}


def test_the_assessment_reads_the_survey_score(tree, actors, survey):
    from minqing.assessment.indicators import REGISTRY, Context
    from minqing.assessment.models import Subject

    s, q = survey
    answer(s, q, phone="13900000001", scale=5, staff=("satisfied", ""))
    answer(s, q, phone="13900000002", scale=3, staff=("dissatisfied", "慢"))
    today = timezone.localdate()
    ctx = Context(actor=actors["street"], street_code=tree["street"].code, start=today, end=today,
                  community_codes=(tree["community_a"].code, tree["community_b"].code))
    indicator = REGISTRY["survey_score"]
    community = indicator.compute(ctx, Subject.COMMUNITY)[tree["community_a"].code]
    staff = indicator.compute(ctx, Subject.STAFF)[str(actors["worker"].pk)]
    assert (community.denominator, community.score) == (2, 75.0)  # mean 4 → (4 − 1) / 4 × 100
    assert (staff.numerator, staff.denominator, staff.score) == (1, 2, 50.0)
    from minqing.assessment.indicators import RECORDS
    headers, rows = RECORDS["survey_score"](ctx, Subject.STAFF, str(actors["worker"].pk))
    assert [row[2] for row in rows] == ["不满意", "满意"]
