"""Issue 14, item 3: the satisfaction rate's figures add up — the numerator shown is the weighted one
(满意 + 0.8 × 基本满意), with its parts, on the dashboard, in its table cells and in the monthly report;
item 5: the dashboard shows the data time and brings stale figures up to date when read."""
import pytest
from django.urls import reverse

from minqing.dashboard.board import dashboard_board
from minqing.dashboard.periods import period_parse
from minqing.dashboard.report import monthly_report
from minqing.dashboard.rollups import rollups_rebuild

from .factories import october

pytestmark = pytest.mark.django_db
OCT = period_parse("2026-10")


@pytest.fixture
def data(tree, actors):
    made = october(tree, actors)
    rollups_rebuild()
    return made


def test_the_satisfaction_numerator_is_weighted_and_adds_up(data, actors, tree):
    board = dashboard_board(actor=actors["street"], place_code=tree["street"].code, period=OCT)
    line = next(r for r in board.headline if r["key"] == "satisfaction_rate")
    assert (line["numerator"], line["denominator"], line["value"]) == ("6.4", 9, "71.1%")
    assert [(p["label"], p["count"]) for p in line["parts"]] == [("满意", 4), ("基本满意", 3)]
    assert line["weight"] == "0.8"
    cell = board.breakdowns[0]["rows"][0]["cells"][3]  # the satisfaction column of the first place
    numerator, denominator = cell.title.split("/")
    assert abs(float(numerator) / int(denominator) - float(cell.text.rstrip("%")) / 100) < 0.0005
    report = monthly_report(actor=actors["street"], place_code=tree["street"].code, month="2026-10")
    line = next(r for r in report.rate_lines() if r["label"] == "满意率")
    assert line["numerator"] == pytest.approx(6.4) and line["numerator"] / line["denominator"] == pytest.approx(line["value"])


def test_the_dashboard_page_shows_the_weighted_parts(client, data, actors, tree):
    client.force_login(actors["street"])
    page = client.get(reverse("dashboard:index"), {"place": tree["street"].code, "period": "2026-10"}).content.decode()
    rate = page.split('data-testid="rate-satisfaction_rate"')[1].split("</li>")[0]
    assert "6.4" in rate and "× 0.8" in rate and ">4<" in rate and ">3<" in rate


def _stale_mark(minutes: int):
    import datetime

    from django.utils import timezone

    from minqing.dashboard.models import RollupDirtyDay

    from minqing.dashboard import rollups

    RollupDirtyDay.objects.update(marked_at=timezone.now() - datetime.timedelta(minutes=minutes))
    rollups._NO_STALE_MARK_BEFORE.clear()  # the minutes passed for this process too: what it saw is out of date


def test_without_the_scheduler_the_dashboard_refreshes_stale_figures_when_read(client, tree, actors):
    """A demand recorded through the services, no scheduler running: after the grace period the page
    recounts the marked days itself and prints the data time."""
    from django.utils import timezone

    from minqing.appeals.intake import appeal_submit
    from minqing.appeals.models import Channel
    from minqing.dashboard.models import RollupDirtyDay

    appeal_submit(actor=actors["worker"], place=tree["grid_a1"], text="楼道灯坏了三天了", channel=Channel.WALK_IN)
    month = f"{timezone.localdate():%Y-%m}"
    client.force_login(actors["street"])
    url = reverse("dashboard:index")
    page = client.get(url, {"place": tree["street"].code, "period": month}).content.decode()
    assert 'data-testid="data-time"' in page  # always says how current the figures are
    assert RollupDirtyDay.objects.count() == 1  # within the grace period the scheduler may still come
    _stale_mark(minutes=10)
    page = client.get(url, {"place": tree["street"].code, "period": month}).content.decode()
    assert RollupDirtyDay.objects.count() == 0
    total = page.split('data-testid="rate-total"')[1].split("</a>")[0]
    assert '<span class="value">1</span>' in total
    assert "数据更新于" in page.split('data-testid="data-time"')[1].split("</span>")[0]
