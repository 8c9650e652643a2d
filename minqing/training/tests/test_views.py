import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minqing.appeals.tests.factories import AppealFactory
from minqing.training import services
from minqing.training.models import PolicySuggestionLog

from .factories import answer, quiz, right_answers, session

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def _many(actors, tree, n=15):
    for i in range(n):
        s = session(actors["secretary"], tree["community_a"], topic=f"培训 {i}")
        services.training_attendance_record(actor=actors["secretary"], session=s, users=[actors["grid"], actors["worker"]])
        q = quiz(actors["secretary"], tree["community_a"])
        services.quiz_attempt_submit(actor=actors["grid"], quiz=q, answers=right_answers(q))
        answer(actors["street"], tree["street"], f"问题 {i} 低保", f"答复 {i}", topic="dibao")


def test_list_pages_query_budget(client, actors, tree, django_assert_max_num_queries):
    _many(actors, tree)
    login(client, actors["grid"])
    for name, budget in (("training:session_list", 14), ("training:answer_list", 14), ("training:accuracy", 12)):
        with django_assert_max_num_queries(budget):
            response = client.get(reverse(name))
        assert response.status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("training:answer_list"), {"q": "低保", "state": "all"}).status_code == 200


def test_the_answers_come_fifty_a_page_keeping_the_filters(client, actors, tree):
    for i in range(55):
        answer(actors["street"], tree["street"], f"问题 {i:02d} 低保", f"答复 {i}", topic="dibao")
    login(client, actors["grid"])
    first = client.get(reverse("training:answer_list"), {"topic": "dibao"}).content.decode()
    assert first.count('data-testid="answer"') == 50 and "第 1 / 2 页" in first
    assert 'href="?topic=dibao&page=2"' in first
    second = client.get(reverse("training:answer_list"), {"topic": "dibao", "page": 2}).content.decode()
    assert second.count('data-testid="answer"') == 5 and "问题 54 低保" in second


def test_quiz_results_query_budget(client, actors, tree, django_assert_max_num_queries):
    q = quiz(actors["street"], tree["street"])
    for role in ("grid", "worker", "secretary", "building"):
        services.quiz_attempt_submit(actor=actors[role], quiz=q, answers=right_answers(q))
    login(client, actors["street"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:quiz_results", args=[q.pk]))
    assert response.status_code == 200 and "A社区" in response.content.decode()


def test_take_quiz_on_the_page(client, actors, tree):
    q = quiz(actors["secretary"], tree["community_a"])
    login(client, actors["grid"])
    page = client.get(reverse("training:quiz_take", args=[q.pk]))
    assert page.status_code == 200 and 'type="checkbox"' in page.content.decode()
    data = {f"q{pk}": [str(c) for c in chosen] for pk, chosen in right_answers(q).items()}
    response = client.post(reverse("training:quiz_take", args=[q.pk]), data)
    assert response.status_code == 200 and "得分 100" in response.content.decode()
    unanswered = client.post(reverse("training:quiz_take", args=[q.pk]), {})
    assert unanswered.status_code == 422 and "没有作答" in unanswered.content.decode()


def test_other_community_sees_not_found(client, actors, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    q = quiz(actors["secretary"], tree["community_a"])
    s = session(actors["secretary"], tree["community_a"])
    login(client, user_with_role(Role.COMMUNITY_WORKER, tree["community_b"], username="t_b"))
    assert client.get(reverse("training:quiz_take", args=[q.pk])).status_code == 404
    assert client.get(reverse("training:session_detail", args=[s.pk])).status_code == 404


def test_supervisor_reads_but_cannot_create(client, actors, tree):
    session(actors["secretary"], tree["community_a"])
    login(client, actors["supervisor"])
    assert client.get(reverse("training:session_list")).status_code == 200
    assert client.get(reverse("training:answer_new")).status_code == 404
    assert client.get(reverse("training:session_new")).status_code == 404


def test_create_answer_through_the_form(client, actors, tree):
    login(client, actors["secretary"])
    data = {"place": tree["community_a"].pk, "topic": "dibao", "question": "低保怎么申请", "answer": "到社区申请",
            "source": "《办法》", "issuing_body": "区民政局", "effective_on": "2025-01-01", "expires_on": "",
            "applies_to": [tree["community_a"].pk], "is_public": "on"}
    assert client.post(reverse("training:answer_new"), data).status_code == 302
    bad = client.post(reverse("training:answer_new"), {**data, "expires_on": "2024-01-01"})
    assert bad.status_code == 422 and "失效日期不能早于生效日期" in bad.content.decode()


def test_material_upload_and_download_behind_login(client, actors, tree):
    s = session(actors["secretary"], tree["community_a"])
    login(client, actors["secretary"])
    url = reverse("training:material_upload", args=[s.pk])
    assert client.post(url, {"mat-title": "讲义", "mat-file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")}).status_code == 302
    refused = client.post(url, {"mat-title": "x", "mat-file": SimpleUploadedFile("a.pdf", b"MZ exe")})
    assert refused.status_code == 422 and "不符" in refused.content.decode()
    material = s.materials.get()
    download = reverse("training:material_download", args=[s.pk, material.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.7 x"
    assert Client().get(download).status_code == 302  # to the login page


# --- on a demand's page --------------------------------------------------------------------------------

def _demand(tree):
    return AppealFactory(place=tree["grid_a1"], title="父亲高龄补贴没到账", text="我父亲今年85岁，高龄津贴这个月没有发")


def test_demand_page_shows_policy_suggestions_on_the_reply_form(client, actors, tree):
    from minqing.appeals.models import Status
    from minqing.appeals.tests.factories import appeal_in

    answer(actors["street"], tree["street"], "高龄津贴每月发多少？", "80至89周岁每人每月100元。")
    answer(actors["street"], tree["street"], "公租房怎么申请", "无住房的家庭可申请。", topic="housing")
    demand = appeal_in(Status.IN_PROGRESS, place=tree["grid_a1"], handler=actors["worker"],
                       title="父亲高龄补贴没到账", text="我父亲今年85岁，高龄津贴这个月没有发")
    login(client, actors["worker"])
    page = client.get(reverse("appeals:detail", args=[demand.pk])).content.decode()
    if 'data-testid="action-reply"' not in page:
        pytest.skip("reply is not offered to this worker in this state")
    assert 'data-testid="policy-suggestions"' in page and "高龄津贴每月发多少" in page
    assert "training/policy_suggest.js" in page and "<script>" not in page


def test_suggest_is_post_only_csrf_checked_and_records_use(actors, tree):
    a = answer(actors["street"], tree["street"], "高龄津贴每月发多少？", "80至89周岁每人每月100元。")
    demand = _demand(tree)
    client = login(Client(enforce_csrf_checks=True), actors["worker"])
    url = reverse("training:suggest", args=[demand.pk])
    assert client.get(url, {"draft": "x"}).status_code == 405
    assert client.post(url, {"draft": "您好"}).status_code == 403  # no CSRF token
    client.get(reverse("training:answer_list"))
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"draft": "您好，关于高龄津贴"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["suggestions"][0]["id"] == a.pk
    use = client.post(reverse("training:suggestion_use", args=[demand.pk]), {"answer": a.pk}, HTTP_X_CSRFTOKEN=token)
    assert use.json() == {"used": [a.pk]}
    assert PolicySuggestionLog.objects.get(appeal=demand).top_used
    accuracy = client.get(reverse("training:accuracy")).content.decode()
    assert "插入了推荐的 1 件" in accuracy


def test_suggest_for_a_demand_out_of_scope_is_not_found(client, actors, tree):
    demand = AppealFactory(place=tree["grid_b1"])
    login(client, actors["worker"])
    assert client.post(reverse("training:suggest", args=[demand.pk]), {"draft": ""}).status_code == 404


# --- public page ---------------------------------------------------------------------------------------

def test_public_policy_search_hides_expired_and_private_and_is_rate_limited(client, actors, tree, settings):
    from minqing.disclosure.selectors import public_community_list

    if not public_community_list().filter(pk=tree["community_a"].pk).exists():
        pytest.skip("community A is not on the public board in this tree")
    answer(actors["street"], tree["street"], "低保标准是多少", "每人每月790元", topic="dibao")
    answer(actors["street"], tree["street"], "2020年低保标准", "每人每月500元", topic="dibao",
           effective=datetime.date(2020, 1, 1), expires=datetime.date(2020, 12, 31))
    answer(actors["street"], tree["street"], "内部口径：低保复核", "仅供工作人员", topic="dibao", public=False)
    url = reverse("policy_public:search", args=[tree["community_a"].code])
    page = client.get(url, {"q": "低保一个月多少钱"}).content.decode()
    assert "每人每月790元" in page and "500元" not in page and "仅供工作人员" not in page
    settings.MINQING_API_RATES = {"policy_search": "2/m"}
    assert client.get(url, {"q": "低保"}).status_code == 200
    assert client.get(url, {"q": "低保"}).status_code == 429
    assert client.get(url).status_code == 200  # browsing without a query is not counted


def test_english_catalogue_is_loaded():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("en"):
        assert gettext("政策问答") == "Policy answers"
        assert gettext("插入答复") == "Insert into reply"
