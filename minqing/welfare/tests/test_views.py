"""Pages: success, refused, not found, invalid input — and what each role sees."""

import pytest
from django.urls import reverse

from minqing.welfare.models import Status
from minqing.welfare.selectors import application_list

from .factories import household_with_members, submit, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(welfare):
    return submit(welfare["worker"], welfare["programme"], welfare["household"])


def _login(client, user):
    client.force_login(user)
    return client


def test_detail_shows_the_file_to_staff_in_scope(client, welfare, application):
    html = _login(client, welfare["worker"]).get(reverse("welfare:detail", args=[application.pk])).content.decode()
    assert application.reference in html and "登记入户核查" in html


def test_detail_is_not_found_outside_scope(client, welfare, application, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    other = user_with_role(Role.COMMUNITY_WORKER, tree["community_b"], username="t_b_worker")
    assert _login(client, other).get(reverse("welfare:detail", args=[application.pk])).status_code == 404


def test_verify_posts_and_moves_the_file(client, welfare, application):
    response = _login(client, welfare["worker"]).post(reverse("welfare:verify", args=[application.pk]), {
        "visited_on": "2026-11-20", "staff_1": welfare["worker"].pk, "staff_2": welfare["worker2"].pk,
        "findings": "属实", "verified_income": "600", "recommends": "1", "version": application.version})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPRAISAL


def test_verify_with_one_person_shows_the_field_error(client, welfare, application):
    response = _login(client, welfare["worker"]).post(reverse("welfare:verify", args=[application.pk]), {
        "visited_on": "2026-11-20", "staff_1": welfare["worker"].pk, "staff_2": welfare["worker"].pk,
        "findings": "属实", "verified_income": "600", "recommends": "1", "version": application.version})
    assert response.status_code == 422
    assert "入户核查须由两名工作人员共同进行。" in response.content.decode()


def test_stale_version_is_a_conflict_and_keeps_the_input(client, welfare, application):
    response = _login(client, welfare["worker"]).post(reverse("welfare:verify", args=[application.pk]), {
        "visited_on": "2026-11-20", "staff_1": welfare["worker"].pk, "staff_2": welfare["worker2"].pk,
        "findings": "我写的结论", "verified_income": "600", "recommends": "1", "version": application.version - 1})
    html = response.content.decode()
    assert response.status_code == 422 and "该记录已被他人修改" in html and "我写的结论" in html


def test_worker_cannot_approve(client, welfare, application):
    application = verify(welfare["worker"], application, welfare["worker2"], income="3000", recommends=False)
    response = _login(client, welfare["worker"]).post(reverse("welfare:reject", args=[application.pk]),
                                                      {"reason": "收入超标", "version": application.version})
    assert response.status_code == 422 and "您没有执行此操作的权限。" in response.content.decode()


def test_relative_is_refused_with_the_recusal_message(client, welfare, application):
    from minqing.welfare import services

    services.staff_relation_declare(actor=welfare["worker"], staff=welfare["worker"], household=welfare["household"],
                                    kinship="spouse")
    application.refresh_from_db()  # the declaration flagged it (a new version)
    response = _login(client, welfare["worker"]).post(reverse("welfare:verify", args=[application.pk]), {
        "visited_on": "2026-11-20", "staff_1": welfare["worker"].pk, "staff_2": welfare["worker2"].pk,
        "findings": "属实", "verified_income": "600", "recommends": "1", "version": application.version})
    assert "按规定须回避" in response.content.decode()


def test_new_application_page_searches_then_submits(client, welfare):
    c = _login(client, welfare["worker"])
    html = c.get(reverse("welfare:new"), {"q": "王建国"}).content.decode()
    assert f"?household={welfare['household'].pk}" in html
    response = c.post(reverse("welfare:new") + f"?household={welfare['household'].pk}", {
        "household": welfare["household"].pk, "programme": welfare["programme"].pk,
        "applicant": welfare["household"].head_id, "declared_income": "600", "reason": "生活困难"})
    assert response.status_code == 302


def test_each_role_sees_its_part(welfare, tree, actors):
    submit(welfare["worker"], welfare["programme"], welfare["household"])
    in_a2, _m = household_with_members(tree["building_a2"], names=("刘一",))
    submit(welfare["worker"], welfare["programme"], in_a2)
    in_b, _m = household_with_members(tree["building_b1"], names=("陈二",))
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    user_with_role(Role.COMMUNITY_WORKER, tree["community_b"], username="t_b")
    submit(actors["street"].__class__.objects.get(username="t_b"), welfare["programme"], in_b)
    seen = {name: application_list(actor=actors[name]).count() for name in
            ("admin", "street", "secretary", "worker", "grid", "supervisor", "building", "branch", "partner")}
    assert seen == {"admin": 3, "street": 3, "secretary": 2, "worker": 2, "grid": 1, "supervisor": 3,
                    "building": 0, "branch": 0, "partner": 0}


def test_list_query_count(client, welfare, django_assert_max_num_queries):
    for n in range(5):
        household, _m = household_with_members(welfare["household"].building, names=(f"户主{n}",))
        submit(welfare["worker"], welfare["programme"], household)
    c = _login(client, welfare["worker"])
    with django_assert_max_num_queries(20):
        assert c.get(reverse("welfare:list")).status_code == 200


def test_figures_page_renders_charts(client, welfare, application):
    html = _login(client, welfare["secretary"]).get(reverse("welfare:figures")).content.decode()
    assert "<svg" in html and "走访覆盖率" in html and "法定时限内办结" in html


def test_due_filters(welfare):
    import datetime as dt

    from minqing.welfare.models import Application

    late = submit(welfare["worker"], welfare["programme"], welfare["household"])
    Application.objects.filter(pk=late.pk).update(verification_due=dt.date(2026, 1, 1))
    approved, _m = household_with_members(welfare["household"].building, names=("复核户",))
    review = submit(welfare["worker"], welfare["programme"], approved)
    Application.objects.filter(pk=review.pk).update(status=Status.APPROVED, next_review_due=dt.date(2026, 2, 20))
    today = dt.date(2026, 2, 1)
    assert [a.pk for a in application_list(actor=welfare["worker"], due="verification", today=today)] == [late.pk]
    assert [a.pk for a in application_list(actor=welfare["worker"], due="review", today=today)] == [review.pk]


def test_street_creates_a_programme_with_rules(client, welfare, tree):
    from minqing.welfare.models import Programme

    c = _login(client, welfare["street"])
    response = c.post(reverse("welfare:programmes"), {
        "place": tree["street"].pk, "name": "残疾人生活补贴", "kind": "other", "amount_mode": "per_person",
        "amount": "100", "notice_days": "7", "requires_appraisal": "on", "requires_notice": "on",
        "max_income_per_capita": "900", "requires_tag": "disability"})
    assert response.status_code == 302
    programme = Programme.objects.get(name="残疾人生活补贴")
    assert sorted((r.kind, r.tag.code if r.tag else str(r.value)) for r in programme.rules.all()) == [
        ("max_income_per_capita", "900.00"), ("requires_tag", "disability")]


def test_worker_cannot_create_programmes(client, welfare, tree):
    c = _login(client, welfare["worker"])
    html = c.get(reverse("welfare:programmes")).content.decode()
    assert "新建救助项目" not in html


def test_application_pdf(client, welfare, application):
    response = _login(client, welfare["worker"]).get(reverse("welfare:pdf", args=[application.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
