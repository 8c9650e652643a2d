"""The rates on the hand-built October data set (tests/factories.october), worked out by hand.

Counted in October (submitted 1–31 October, Beijing time, not merged): D1–D8, D10–D16 = 15.
D9 is merged (counted only as merged), D17 is September's, D18 is November's (00:10 Beijing = UTC 31 Oct).

  response rate   = responded within the deadline / counted
                  = 12 / 15 = 80.0 %   (late: D3 30 h, D13 25 h; never: D8; D15 has no deadline → in time)
  resolution rate = solved with a standing reply / (replied − unreasonable)
                  = {D1, D2, D4, D10, D11, D14} 6 / (10 replied − D5) 9 = 66.7 %
                    (D3 partly, D15 pending, D16 solved but reopened: unsolved)
  satisfaction    = (satisfied + 0.8 × basic) / rated = (4 + 0.8 × 3) / 9 = 6.4 / 9 = 71.1 %
                    (satisfied D1 D4 D10 D14; basic D2 D11 D15; dissatisfied D3 D16; D5 not rated: left out)
  closure rate    = closed / (counted − rejected) = {D1 D2 D5 D10 D11 D14} 6 / 14 = 42.9 %
  overdue rate    = overdue / dispatched = {D2, D6} 2 / 12 = 16.7 %
                    (dispatched: all but D7 rejected, D8 new, D12 accepted)
  return rate     = returned at least once / dispatched = {D3, D13} 2 / 12 = 16.7 %
  reopen rate     = reopened at least once / replied = {D3, D14, D16} 3 / 10 = 30.0 %
  recurrence rate = recurrences / counted = {D10} 1 / 15 = 6.7 %

  median time to first response, from the histogram of the 14 responses (hours):
      [0,1): D4 0.5, D14 0.2 → 2 · [1,2): D1 1.5, D7 1, D10 1, D11 1, D16 1 → 5 · [2,4): D2 3, D6 2 → 2
      [4,8): D5 → 1 · [8,12): D12 → 1 · [24,48): D3 30, D13 25, D15 40 → 3
      n/2 = 7 is reached in [1,2) with 2 below: 1 + (7 − 2) / 5 × 1 = 2.0 h   (exact median: 1.75 h)
  median time to close (status closed; D7's rejection is not a close), 6 demands:
      [12,24): D11 20 → 1 · [24,48): D1 30, D14 26 → 2 · [48,72): D10 50 · [96,120): D2 100 · [192,216): D5 200
      n/2 = 3 is reached in [24,48) with 1 below: 24 + (3 − 1) / 2 × 24 = 48.0 h   (exact: 40 h)
"""
import pytest

from minqing.core.errors import NotFound
from minqing.dashboard.metrics import bucket_of, median_hours
from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_rebuild
from minqing.dashboard.selectors import rates_for

from .factories import october

pytestmark = pytest.mark.django_db
OCT = period_parse("2026-10")


@pytest.fixture(params=["rollups", "demands"])
def engine(request, monkeypatch):
    """Every figure is checked twice: read from the rollups, and recounted from the demands."""
    if request.param == "rollups":
        rollups_rebuild()
    else:
        monkeypatch.setattr("minqing.dashboard.selectors._uses_rollups", lambda *args: False)
    return request.param


@pytest.fixture
def data(tree, actors):
    return october(tree, actors)


def street_figures(actors, tree, **kwargs):
    return rates_for(actor=actors["street"], period=OCT, place_code=tree["street"].code, **kwargs)


def test_counts_and_rates_of_the_street(data, actors, tree, engine):
    f = street_figures(actors, tree)[0].figures
    assert {k: f[k] for k in ("total", "merged", "rejected", "responded", "responded_in_time", "dispatched",
                               "overdue", "returned", "replied", "unreasonable", "judged", "solved", "unsolved",
                               "reopened", "satisfied", "basic", "dissatisfied", "not_rated", "rated", "closed",
                               "handled", "open", "recurrence", "response_missed", "unanswered")} == {
        "total": 15, "merged": 1, "rejected": 1, "responded": 14, "responded_in_time": 12, "dispatched": 12,
        "overdue": 2, "returned": 2, "replied": 10, "unreasonable": 1, "judged": 9, "solved": 6, "unsolved": 3,
        "reopened": 3, "satisfied": 4, "basic": 3, "dissatisfied": 2, "not_rated": 1, "rated": 9, "closed": 6,
        "handled": 14, "open": 8, "recurrence": 1, "response_missed": 3, "unanswered": 1}
    assert f.rate("response_rate") == pytest.approx(12 / 15)
    assert f.rate("resolution_rate") == pytest.approx(6 / 9)
    assert f.rate("satisfaction_rate") == pytest.approx(6.4 / 9)
    assert f.rate("closure_rate") == pytest.approx(6 / 14)
    assert f.rate("overdue_rate") == pytest.approx(2 / 12)
    assert f.rate("return_rate") == pytest.approx(2 / 12)
    assert f.rate("reopen_rate") == pytest.approx(3 / 10)
    assert f.rate("recurrence_rate") == pytest.approx(1 / 15)
    assert f.histogram("rt")[:7] == [2, 5, 2, 1, 1, 0, 3]
    assert f.median_response_hours == pytest.approx(2.0)
    assert f.median_close_hours == pytest.approx(48.0)


def test_basically_satisfied_weight_is_a_setting(data, actors, tree, engine, settings):
    settings.MINQING_SATISFACTION_BASIC_WEIGHT = 1
    assert street_figures(actors, tree)[0].figures.rate("satisfaction_rate") == pytest.approx(7 / 9)
    settings.MINQING_SATISFACTION_BASIC_WEIGHT = 0
    assert street_figures(actors, tree)[0].figures.rate("satisfaction_rate") == pytest.approx(4 / 9)


def test_by_community(data, actors, tree, engine):
    rows = {r.label: r.figures for r in street_figures(actors, tree, group_by="place")}
    # A: D1-D8, D10, D15 (grid 2) = 10, in time all but D3 and D8; B: D11-D14 (D14 at a building), D16
    assert (rows["A社区"]["total"], rows["A社区"]["responded_in_time"]) == (10, 8)
    assert (rows["B社区"]["total"], rows["B社区"]["responded_in_time"]) == (5, 4)
    assert rows["B社区"].rate("response_rate") == pytest.approx(0.8)


def test_by_category_channel_unit_and_handler(data, actors, tree, engine):
    by = {g: {r.label: r.figures["total"] for r in street_figures(actors, tree, group_by=g)}
          for g in ("category", "channel", "unit", "handler")}
    assert by["category"] == {"水电暖气": 6, "物业": 5, "环境卫生": 3, "未分类": 1}
    assert by["channel"] == {"专线电话": 7, "网页/手机": 5, "来访": 3}
    assert by["unit"] == {"渝阳供热站": 6, "安居物业公司": 1, "无协办单位": 8}
    worker = data["worker"].get_full_name() or data["worker"].username
    assert by["handler"] == {worker: 5, "协办单位承办或未派单": 10}


def test_by_month_puts_the_midnight_demands_in_beijing_months(data, actors, tree, engine):
    rows = rates_for(actor=actors["street"], period=period_parse("2026-09-01~2026-11-30"),
                     place_code=tree["street"].code, group_by="month")
    assert [(r.key, r.figures["total"]) for r in rows] == [("2026-09-01", 1), ("2026-10-01", 15), ("2026-11-01", 1)]


def test_a_partner_unit_sees_only_its_own_figures(data, tree, engine):
    f = rates_for(actor=data["heat_user"], period=OCT, place_code=tree["street"].code)[0].figures
    # D1 D2 D3 D10 D11 D14; only D3 answered late
    assert (f["total"], f["responded_in_time"], f["solved"]) == (6, 5, 5)


def test_a_partner_unit_breakdown_by_category_is_still_its_own(data, tree, engine):
    rows = rates_for(actor=data["heat_user"], period=OCT, place_code=tree["street"].code, group_by="category")
    assert {r.label: r.figures["total"] for r in rows} == {"水电暖气": 6}


def test_community_staff_see_their_community_only(data, actors, tree, engine):
    rows = rates_for(actor=actors["worker"], period=OCT)
    assert (rows[0].label, rows[0].figures["total"]) == ("A社区", 10)
    with pytest.raises(NotFound):
        rates_for(actor=actors["worker"], period=OCT, place_code=tree["street"].code)
    with pytest.raises(NotFound):
        rates_for(actor=actors["worker"], period=OCT, place_code=tree["community_b"].code)


def test_a_grid_reads_from_the_demands_and_agrees(data, actors, tree, engine):
    f = rates_for(actor=actors["street"], period=OCT, place_code=tree["grid_a2"].code)[0].figures
    assert (f["total"], f["basic"]) == (1, 1)  # D15


def test_filters_narrow_to_one_value(data, actors, tree, engine):
    heating = data["demands"]["d1"].category.parent_id
    f = street_figures(actors, tree, filters={"category": heating})[0].figures
    assert (f["total"], f["solved"]) == (6, 5)
    f = street_figures(actors, tree, filters={"category": ""})[0].figures
    assert f["total"] == 1  # D13 has no category


def test_empty_period_has_no_rates():
    from minqing.dashboard.metrics import Figures

    f = Figures.empty()
    assert f.rate("response_rate") is None and f.median_response_hours is None


@pytest.mark.parametrize("histogram, expected", [
    ([1], 0.5), ([0, 2], 1.5), ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 720.0),
    ([2, 0, 2], 1.0), ([1, 1, 1], 1.5),
])
def test_grouped_median(histogram, expected):
    # [1]: n/2 = .5 of 1 in [0,1) → .5 · [2,0,2]: n/2 = 2 reached at the end of [0,1) → 1.0
    # [1,1,1]: n/2 = 1.5 → [1,2) with 1 below: 1 + .5/1 × 1 = 1.5 · open-ended bucket → its lower edge
    assert median_hours(histogram) == pytest.approx(expected)


def test_bucket_edges():
    assert [bucket_of(h) for h in (0, .99, 1, 23.9, 24, 719, 720, 5000)] == [0, 0, 1, 5, 6, 17, 18, 18]


def test_figures_as_plain_numbers_for_the_api(data, actors, tree, engine):
    d = street_figures(actors, tree)[0].figures.as_dict()
    assert d["counts"]["total"] == 15 and d["counts"]["judged"] == 9
    assert d["rates"]["response_rate"] == pytest.approx(0.8) and d["rates"]["overdue_rate"] == pytest.approx(2 / 12)
    assert (d["median_response_hours"], d["median_close_hours"], d["satisfaction_basic_weight"]) == (2.0, 48.0, 0.8)


def test_filters_and_groupings_are_checked(data, actors, tree):
    from minqing.core.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        street_figures(actors, tree, filters={"unit": "abc"})
    assert info.value.fields == {"unit": ["无效的筛选条件。"]}
    with pytest.raises(ValidationError) as info:
        street_figures(actors, tree, group_by="weekday")
    assert info.value.fields == {"group_by": ["无法按此分组。"]}
