"""The dashboard, drill-down and report pages: scope per role, the numbers shown, a fixed number of
queries whatever the data size."""
import re

import pytest
from django.urls import reverse

from minqing.dashboard.rollups import rollups_rebuild

from .factories import october, random_demands

pytestmark = pytest.mark.django_db
OCT = {"period": "2026-10"}


@pytest.fixture
def data(tree, actors):
    d = october(tree, actors)
    rollups_rebuild()
    return d


def get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def test_street_staff_see_the_street(client, data, actors, tree):
    response = get(client, actors["street"], "dashboard:index", **OCT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "八里庄街道" in html
    assert re.search(r'data-testid="rate-response_rate">\s*<a [^>]*><span class="value">80.0%', html)
    assert re.search(r'data-testid="rate-satisfaction_rate">\s*<a [^>]*><span class="value">71.1%', html)
    assert 'data-testid="trend-chart"' in html and "A社区" in html and "B社区" in html


def test_community_staff_see_their_community_and_not_the_street(client, data, actors, tree):
    response = get(client, actors["worker"], "dashboard:index", **OCT)
    html = response.content.decode()
    assert response.status_code == 200 and "A社区" in html
    assert 'data-testid="rate-total"><span class="value">10<' in html
    assert get(client, actors["worker"], "dashboard:index", place=tree["street"].code, **OCT).status_code == 404
    assert get(client, actors["worker"], "dashboard:index", place=tree["community_b"].code, **OCT).status_code == 404


def test_a_partner_unit_sees_its_own_figures_only(client, data, tree):
    html = get(client, data["heat_user"], "dashboard:index", **OCT).content.decode()
    assert 'data-testid="rate-total"><span class="value">6<' in html
    assert "仅含派给本单位的诉求" in html
    assert 'data-testid="breakdown-unit"' not in html and 'data-testid="breakdown-handler"' not in html
    assert "安居物业公司" not in html


def test_roles_without_demands_get_not_found(client, data, actors):
    assert get(client, actors["building"], "dashboard:index").status_code == 404
    assert get(client, actors["building"], "dashboard:demands", metric="total").status_code == 404


@pytest.mark.parametrize("metric, extra, expected", [
    ("total", {}, 15), ("responded_in_time", {}, 12), ("response_missed", {}, 3), ("unsolved", {}, 3),
    ("dissatisfied", {}, 2), ("overdue", {}, 2), ("reopened", {}, 3), ("recurrence", {}, 1), ("open", {}, 8),
    ("total", {"channel": "web"}, 5), ("total", {"category": ""}, 1), ("merged", {}, 1),
])
def test_drill_down_lists_exactly_the_demands_behind_the_number(client, data, actors, tree, metric, extra, expected):
    response = get(client, actors["street"], "dashboard:demands", place=tree["street"].code, metric=metric,
                   **OCT, **extra)
    html = response.content.decode()
    assert re.search(rf'data-testid="drill-count">{expected}<', html), html[:3000]
    assert html.count("<li><a href=\"/appeals/") == expected


def test_every_link_on_the_dashboard_leads_to_as_many_demands_as_it_shows(client, data, actors, tree):
    """Follow every breakdown cell's link for the volumes: the list has exactly that many demands."""
    html = get(client, actors["street"], "dashboard:index", place=tree["street"].code, **OCT).content.decode()
    links = re.findall(r'<td><a href="(/dashboard/demands/\?[^"]*metric=total[^"]*)">(\d+)</a></td>', html)
    assert len(links) >= 12
    for url, shown in links:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        assert re.search(rf'data-testid="drill-count">{shown}<', listed), url


def test_a_drill_link_for_another_community_is_not_found(client, data, actors, tree):
    response = get(client, actors["worker"], "dashboard:demands", place=tree["community_b"].code, metric="total")
    assert response.status_code == 404


def test_an_unknown_metric_is_refused(client, data, actors):
    response = get(client, actors["street"], "dashboard:demands", metric="nonsense")
    assert response.status_code == 422 and "未知的统计项。" in response.content.decode()


def test_query_count_does_not_grow_with_the_data(client, tree, actors, django_assert_num_queries):
    """Same number of queries on 18 and on 318 demands (the rollups are read, not the demands)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.core.ttlcache import caches_clear

    october(tree, actors)
    rollups_rebuild()
    client.force_login(actors["street"])
    url = reverse("dashboard:index")
    caches_clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"period": "2026-Q4"}).status_code == 200
    from minqing.accounts.tests.factories import PartnerUnitFactory

    random_demands(tree, n=300, seed=11, units=[PartnerUnitFactory(service_area=tree["street"])],
                   users=[actors["worker"]])
    rollups_rebuild()
    caches_clear()  # both counts from cold per-process caches (the signed-in user is kept)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, {"period": "2026-Q4"}).status_code == 200
    assert len(large) == len(small) <= 30, [q["sql"][:120] for q in large.captured_queries]
    assert not any('FROM "appeals_appeal"' in q["sql"] for q in large.captured_queries)


def test_home_panel_shows_this_months_rates(client, tree, actors):
    client.force_login(actors["street"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-panel"' in html and "响应率" in html


def test_drill_list_query_count_is_fixed(client, data, actors, tree, django_assert_max_num_queries):
    client.force_login(actors["street"])
    url = reverse("dashboard:demands")
    with django_assert_max_num_queries(12):
        response = client.get(url, {"place": tree["street"].code, "metric": "total", **OCT})
    assert response.status_code == 200


def test_report_page_shows_the_sections(client, data, actors, tree):
    client.force_login(actors["secretary"])
    html = client.get(reverse("dashboard:report"), {"month": "2026-10"}).content.decode()
    assert "<span data-user-content>A社区</span>2026年10月诉求办理情况月报" in html  # the place's name is data
    for heading in ("一、主要指标", "三、分类统计", "六、突出问题", "七、超期诉求（2 件）", "八、重办诉求（1 件）"):
        assert heading in html, heading


def test_a_range_of_days_stays_selected(client, data, actors, tree):
    html = get(client, actors["street"], "dashboard:index", start="2026-10-01", end="2026-10-15").content.decode()
    assert '<option value="2026-10-01~2026-10-15" selected>2026-10-01 ~ 2026-10-15</option>' in html
    # D1-D8 and D10-D15 at the street, D9 merged: 14
    assert 'data-testid="rate-total"><span class="value">14<' in html


def test_a_malformed_filter_is_refused(client, data, actors):
    response = get(client, actors["street"], "dashboard:demands", metric="total", unit="1 or 1=1")
    assert response.status_code == 422 and "无效的筛选条件。" in response.content.decode()
