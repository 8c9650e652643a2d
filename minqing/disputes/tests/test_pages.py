"""Every page renders for the roles that use it; actions succeed, refuse and validate through the views."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.disputes.models import Dispute, Status

from .factories import round_for


@pytest.fixture
def worker_client(client, actors):
    client.force_login(actors["worker"])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["street", "secretary", "worker", "grid", "supervisor", "admin"])
def test_home_and_lists_render(client, actors, make_dispute, role):
    make_dispute(Status.MEDIATING)
    client.force_login(actors[role])
    for name in ("home", "disputes:list", "disputes:screening_list", "disputes:assessment_list", "disputes:figures"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.django_db
def test_home_shows_silent_grids_to_the_community(client, actors, tree):
    round_for(tree["grid_a1"], filed_by=actors["grid"])
    client.force_login(actors["secretary"])
    page = client.get(reverse("home")).content.decode()
    assert "本周未报排查的网格：1 个" in page and "A社区2网格" in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_detail_renders_in_every_state(worker_client, make_dispute, status):
    dispute = make_dispute(status)
    response = worker_client.get(reverse("disputes:detail", args=[dispute.pk]))
    assert response.status_code == 200
    assert dispute.get_status_display() in response.content.decode()


@pytest.mark.django_db
def test_report_creates_and_redirects(worker_client, tree):
    response = worker_client.post(reverse("disputes:report"), {
        "place": tree["grid_a1"].pk, "title": "楼上噪音扰民", "kind": "neighbour", "description": "夜间装修噪音",
        "people_involved": 2, "risk_level": "general"})
    dispute = Dispute.objects.get(title="楼上噪音扰民")
    assert response.status_code == 302 and response.url == reverse("disputes:detail", args=[dispute.pk])


@pytest.mark.django_db
def test_report_invalid_shows_field_errors(worker_client, tree):
    response = worker_client.post(reverse("disputes:report"), {
        "place": tree["grid_a1"].pk, "title": "欠薪", "kind": "labour", "description": "拖欠三个月工资",
        "people_involved": 30, "risk_level": "major", "risk_reasons": ""})
    assert response.status_code == 200
    assert "较大、重大风险须写明定级理由。" in response.content.decode()
    assert not Dispute.objects.exists()


@pytest.mark.django_db
def test_detail_outside_scope_is_not_found(client, actors, tree, make_dispute):
    dispute = make_dispute(Status.REPORTED, place=tree["grid_b1"])
    client.force_login(actors["worker"])
    response = client.get(reverse("disputes:detail", args=[dispute.pk]))
    assert response.status_code == 404
    assert "未找到该记录" in response.content.decode()


@pytest.mark.django_db
def test_action_without_change_permission_is_forbidden(client, actors, make_dispute):
    dispute = make_dispute(Status.REPORTED)
    client.force_login(actors["supervisor"])
    response = client.post(reverse("disputes:act", args=[dispute.pk, "reject"]),
                           {"version": dispute.version, "reason": "不受理"})
    assert response.status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == Status.REPORTED


@pytest.mark.django_db
def test_stale_version_is_a_conflict(worker_client, make_dispute):
    dispute = make_dispute(Status.REPORTED)
    response = worker_client.post(reverse("disputes:act", args=[dispute.pk, "reject"]),
                                  {"version": dispute.version + 1, "reason": "不受理"})
    assert response.status_code == 409
    assert "该记录已被他人修改" in response.content.decode()


@pytest.mark.django_db
def test_accept_through_the_page(worker_client, actors, make_dispute):
    dispute = make_dispute(Status.REPORTED)
    response = worker_client.post(reverse("disputes:act", args=[dispute.pk, "accept"]), {
        "version": dispute.version, "leader": actors["secretary"].pk, "staff": actors["worker"].pk,
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.ACCEPTED and dispute.responsibilities.count() == 4


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_rows(client, actors, make_dispute, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.core.ttlcache import caches_clear

    client.force_login(actors["secretary"])
    make_dispute(Status.MEDIATING)
    counts = []
    for extra in (0, 15):
        for _ in range(extra):
            make_dispute(Status.ACCEPTED)
        caches_clear()  # both counts from cold per-process caches (the signed-in user is kept)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("disputes:list")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] and counts[1] <= 12


@pytest.mark.django_db
@pytest.mark.parametrize("status, budget", [(Status.AGREED, 18), (Status.MEDIATING, 22)])
def test_detail_queries_are_bounded(client, actors, make_dispute, django_assert_max_num_queries, status, budget):
    dispute = make_dispute(status)
    client.force_login(actors["worker"])
    client.get(reverse("disputes:detail", args=[dispute.pk]))
    with django_assert_max_num_queries(budget):  # 16 and 19 measured; one per prefetch, one per people picker
        assert client.get(reverse("disputes:detail", args=[dispute.pk])).status_code == 200


@pytest.mark.django_db
def test_a_demand_taken_over_as_a_dispute(worker_client, tree, actors):
    from django.apps import apps

    if not apps.is_installed("minqing.appeals"):
        pytest.skip("appeals not installed")
    from minqing.appeals.tests.factories import AppealFactory

    appeal = AppealFactory(place=tree["building_a1"], title="楼上天天吵架", text="楼上夫妻天天吵架摔东西，影响休息")
    form_page = worker_client.get(reverse("disputes:report") + f"?appeal={appeal.pk}").content.decode()
    assert "楼上夫妻天天吵架摔东西" in form_page
    response = worker_client.post(reverse("disputes:report"), {
        "place": tree["building_a1"].pk, "title": appeal.title, "kind": "family", "description": appeal.text,
        "people_involved": 2, "risk_level": "general", "source_appeal_id": appeal.pk})
    assert response.status_code == 302
    assert Dispute.objects.get().source_appeal_id == appeal.pk
    other = AppealFactory(place=tree["building_b1"])
    assert worker_client.get(reverse("disputes:report") + f"?appeal={other.pk}").status_code == 404


@pytest.mark.django_db
def test_audit_trail_reads_as_changes(worker_client, make_dispute):
    dispute = make_dispute(Status.REPORTED)
    worker_client.post(reverse("disputes:act", args=[dispute.pk, "reject"]),
                       {"version": dispute.version, "reason": "属于诉讼范围，已告知起诉"})
    page = worker_client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "属于诉讼范围，已告知起诉" in page and "已登记</span> → <span>不予受理" in page
    assert "reported" not in page and "dispute.reject" not in page


@pytest.mark.django_db
def test_list_filters_by_place(client, actors, tree, make_dispute):
    a = make_dispute(Status.REPORTED, title="甲社区纠纷")
    make_dispute(Status.REPORTED, place=tree["grid_b1"], title="乙社区纠纷")
    client.force_login(actors["street"])
    page = client.get(reverse("disputes:list"), {"place": tree["community_a"].code}).content.decode()
    assert a.title in page and "乙社区纠纷" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["disputes:list", "disputes:report", "disputes:screening_file",
                                  "disputes:figures", "disputes:assessment_open"])
def test_place_pickers_do_not_query_per_place(client, actors, tree, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.places.models import PlaceKind
    from minqing.places.tests.factories import child_of

    client.force_login(actors["street"])
    counts = []
    for extra in (0, 8):
        for n in range(extra):
            child_of(tree["community_a"], PlaceKind.GRID, 10 + n, f"新网格{n}")
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_dispute_page_lists_its_alerts_to_those_who_may_see_them(client, actors, make_dispute):
    from minqing.alerts.services import alert_raise

    dispute = make_dispute(Status.MEDIATING)
    alert_raise(rule="keywords", trigger_key="x", subject_key="x", level="orange", place=dispute.place,
                title="纠纷出现激化苗头", explanation="堵路", evidence={}, dispute=dispute)
    client.force_login(actors["secretary"])
    assert "纠纷出现激化苗头" in client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    client.force_login(actors["grid"])
    assert "纠纷出现激化苗头" not in client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
