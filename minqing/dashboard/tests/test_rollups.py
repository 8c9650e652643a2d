"""The rollups agree with a full recount from the demands: on the hand-built data, on randomised data
in every state, for every grouping and for periods with partial months; and they follow the changes
the appeals services make, through the dirty-day marks and the scheduled job."""
import datetime

import pytest
from django.utils import timezone

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.appeals.models import Appeal, Channel, Outcome, Satisfaction, Status
from minqing.appeals.services import appeal_accept, appeal_dispatch, appeal_follow_up, appeal_reply, appeal_start
from minqing.appeals.intake import appeal_submit
from minqing.dashboard import selectors
from minqing.dashboard.metrics import STORED_FIELDS
from minqing.dashboard.models import AppealRollup, RollupDirtyDay, RollupState, Span
from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_rebuild, rollups_recompute, rollups_refresh
from minqing.dashboard.selectors import GROUPS, rates_for

from .factories import october, random_demands

PERIODS = ["2026-10", "2026-09-15~2026-11-10", "2026-Q4", "2026-09-30~2026-09-30", "2026"]


def both_ways(actor, **kwargs):
    """(from the rollups, recounted from the demands) — the rollups must be eligible for this query."""
    code = kwargs.get("place_code") or selectors.dashboard_scope(actor=actor).place.code
    filters = selectors._clean_filters(kwargs.get("filters"), selectors.dashboard_scope(actor=actor, place_code=code))
    assert selectors._uses_rollups(code, kwargs.get("group_by"), filters)
    from_rollups = {r.key: r.figures.counts for r in rates_for(actor=actor, **kwargs)}
    original = selectors._uses_rollups
    selectors._uses_rollups = lambda *args: False
    try:
        recount = {r.key: r.figures.counts for r in rates_for(actor=actor, **kwargs)}
    finally:
        selectors._uses_rollups = original
    return from_rollups, recount


@pytest.mark.django_db
def test_hand_built_data_every_grouping(tree, actors):
    data = october(tree, actors)
    rollups_rebuild()
    for code in PERIODS:
        for group_by in (None, *GROUPS):
            got, expected = both_ways(actors["street"], period=period_parse(code), place_code=tree["street"].code,
                                      group_by=group_by)
            assert got == expected, (code, group_by)
    got, expected = both_ways(data["heat_user"], period=period_parse("2026-10"), place_code=tree["street"].code,
                              group_by="month")
    assert got == expected


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_randomised_data_every_place_period_and_grouping(tree, actors, seed):
    units = [PartnerUnitFactory(service_area=tree["street"]) for _i in range(3)]
    random_demands(tree, n=120, seed=seed, units=units, users=[actors["worker"], actors["secretary"]])
    rollups_rebuild()
    admin = actors["admin"]
    for place in ("district", "street", "community_a", "community_b"):
        for code in PERIODS:
            for group_by in (None, "month", "category", "channel", "handler", "unit"):
                got, expected = both_ways(admin, period=period_parse(code), place_code=tree[place].code,
                                          group_by=group_by)
                assert got == expected, (place, code, group_by)
        got, expected = both_ways(admin, period=period_parse("2026-Q4"), place_code=tree[place].code,
                                  group_by="month", filters={"unit": units[0].pk})
        assert got == expected


@pytest.mark.django_db
def test_a_plain_python_recount_agrees(tree, actors):
    """An independent count, row by row in Python, of the counters most easily got wrong."""
    units = [PartnerUnitFactory(service_area=tree["street"])]
    random_demands(tree, n=150, seed=7, units=units, users=[actors["worker"]])
    rollups_rebuild()
    period = period_parse("2026-10")
    f = rates_for(actor=actors["admin"], period=period, place_code=tree["street"].code)[0].figures
    rows = [a for a in Appeal.objects.all()
            if period.start <= timezone.localdate(a.submitted_at) <= period.end and a.status != Status.MERGED]
    in_time = [a for a in rows if a.first_response_at and (a.response_deadline is None
                                                           or a.first_response_at <= a.response_deadline)]
    solved = [a for a in rows if a.replied_at and a.outcome == Outcome.SOLVED
              and a.status in (Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED)]
    closed_fast = [a for a in rows if a.status == Status.CLOSED and a.closed_at
                   and a.closed_at - a.submitted_at < datetime.timedelta(hours=24)]
    assert (f["total"], f["responded_in_time"], f["solved"]) == (len(rows), len(in_time), len(solved))
    assert sum(f.histogram("ct")[:6]) == len(closed_fast)


@pytest.mark.django_db
def test_month_rows_are_the_sums_of_day_rows_and_rebuild_is_idempotent(tree, actors):
    october(tree, actors)
    rollups_rebuild()
    first = sorted(AppealRollup.objects.values_list("span", "period", "place_code", "dim", "key", *STORED_FIELDS))
    rollups_rebuild()
    rollups_recompute([datetime.date(2026, 10, 3), datetime.date(2026, 10, 4)])
    assert sorted(AppealRollup.objects.values_list("span", "period", "place_code", "dim", "key",
                                                   *STORED_FIELDS)) == first
    month = AppealRollup.objects.get(span=Span.MONTH, period=datetime.date(2026, 10, 1), dim="all",
                                     place_code=tree["community_b"].code)
    days = AppealRollup.objects.filter(span=Span.DAY, period__month=10, dim="all", place_code=tree["community_b"].code)
    assert month.total == sum(d.total for d in days) == 5


@pytest.mark.django_db
def test_rollups_follow_the_services_through_dirty_marks(tree, actors, heating_unit):
    worker, now = actors["worker"], timezone.now()
    rollups_refresh(now)  # first run: the daily sweep
    period = period_parse(f"{timezone.localdate():%Y-%m}")
    read = lambda: rates_for(actor=actors["street"], period=period, place_code=tree["street"].code)[0].figures  # noqa: E731

    appeal = appeal_submit(actor=worker, place=tree["grid_a1"], text="楼道灯坏了三天了", channel=Channel.WALK_IN)
    assert RollupDirtyDay.objects.count() == 1
    assert read()["total"] == 0  # not yet recomputed
    assert rollups_refresh(now).startswith("recomputed 1 days (1 marks")
    assert (read()["total"], read()["responded"]) == (1, 0)

    appeal_accept(actor=worker, appeal_id=appeal.pk)
    appeal_dispatch(actor=worker, appeal_id=appeal.pk, leader=actors["secretary"], handler_unit=heating_unit["unit"])
    appeal_start(actor=heating_unit["user"], appeal_id=appeal.pk)
    appeal_reply(actor=heating_unit["user"], appeal_id=appeal.pk, outcome=Outcome.SOLVED, text="已更换灯泡")
    appeal_follow_up(actor=None, appeal_id=appeal.pk, satisfaction=Satisfaction.SATISFIED, tracking_token=appeal.tracking_token)
    assert RollupDirtyDay.objects.count() == 6  # the resident's 满意 also closes it (issue 14.2)
    rollups_refresh(now)
    f = read()
    assert (f["total"], f["responded_in_time"], f["solved"], f["satisfied"]) == (1, 1, 1, 1)
    assert f.rate("satisfaction_rate") == 1.0
    assert RollupDirtyDay.objects.count() == 0
    # a second run finds nothing to do and changes nothing
    assert rollups_refresh(now) == "recomputed 0 days (0 marks)"
    assert read().counts == f.counts


@pytest.mark.django_db
def test_a_mark_made_during_a_recompute_is_kept_for_the_next_run(tree, actors, monkeypatch):
    october(tree, actors)
    RollupState.objects.create(pk=1, swept_on=timezone.localdate())
    RollupDirtyDay.objects.create(day=datetime.date(2026, 10, 1))
    original = rollups_recompute

    def recompute_while_someone_changes_a_demand(days, **kwargs):
        result = original(days, **kwargs)
        RollupDirtyDay.objects.create(day=datetime.date(2026, 10, 2))  # committed after our read
        return result

    monkeypatch.setattr("minqing.dashboard.rollups.rollups_recompute", recompute_while_someone_changes_a_demand)
    rollups_refresh(timezone.now())
    assert list(RollupDirtyDay.objects.values_list("day", flat=True)) == [datetime.date(2026, 10, 2)]


@pytest.mark.django_db
def test_the_daily_sweep_catches_rows_written_outside_the_services(tree, actors):
    from .factories import demand

    rollups_refresh(timezone.now())
    demand(tree["grid_a1"], timezone.now() - datetime.timedelta(days=3))  # a bulk load: no mark
    period = period_parse("12m")
    assert rates_for(actor=actors["street"], period=period)[0].figures["total"] == 0
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert "sweep" in rollups_refresh(tomorrow)
    assert rates_for(actor=actors["street"], period=period)[0].figures["total"] == 1


@pytest.fixture
def heating_unit(tree):
    unit = PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"])
    return {"unit": unit, "user": user_with_role(Role.PARTNER_UNIT, tree["street"], partner_unit=unit,
                                                 username="t_heat2")}


@pytest.mark.django_db
def test_the_overdue_job_and_linking_mark_their_days(tree, actors):
    from minqing.appeals.jobs import appeals_mark_overdue
    from minqing.appeals.linking import appeal_link
    from minqing.appeals.tests.factories import appeal_in

    now = timezone.now()
    rollups_refresh(now)
    late = appeal_in(Status.IN_PROGRESS, place=tree["grid_a1"], handler=actors["worker"], leader=actors["secretary"],
                     handle_deadline=now - datetime.timedelta(hours=1), submitted_at=now - datetime.timedelta(days=1))
    earlier = appeal_in(Status.CLOSED, place=tree["grid_a1"], handler=actors["worker"], leader=actors["secretary"],
                        submitted_at=now - datetime.timedelta(days=3))
    again = appeal_in(Status.SUBMITTED, place=tree["grid_a1"], submitted_at=now - datetime.timedelta(minutes=5))
    rollups_recompute([timezone.localdate(now - datetime.timedelta(days=d)) for d in range(5)])
    assert appeals_mark_overdue(now) == "marked 1"
    appeal_link(actor=actors["secretary"], appeal_id=again.pk, target_id=earlier.pk, kind="recurrence")
    assert sorted(RollupDirtyDay.objects.values_list("day", flat=True)) == sorted(  # the recurrence's and the first's
        [timezone.localdate(late.submitted_at), timezone.localdate(again.submitted_at),
         timezone.localdate(earlier.submitted_at)])
    rollups_refresh(now)
    f = rates_for(actor=actors["street"], period=period_parse("12m"), place_code=tree["street"].code)[0].figures
    assert (f["overdue"], f["recurrence"], f["solved"]) == (1, 1, 0)


@pytest.mark.django_db
def test_the_stale_check_is_not_repeated_before_a_mark_could_be_stale(tree, actors):
    """A read looks for stale marks once; until the oldest mark it saw (or the moment it saw none) is a grace
    period old, nothing can be stale, so later reads skip the query — and the first read after that recounts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minqing.dashboard.rollups import rollups_refresh_if_stale, stale_after_seconds

    appeal_submit(actor=actors["worker"], place=tree["grid_a1"], text="楼道灯坏了三天了", channel=Channel.WALK_IN)
    marked_at = RollupDirtyDay.objects.get().marked_at
    grace = datetime.timedelta(seconds=stale_after_seconds())
    assert rollups_refresh_if_stale(now=marked_at + datetime.timedelta(seconds=1)) is False
    with CaptureQueriesContext(connection) as ctx:
        assert rollups_refresh_if_stale(now=marked_at + grace - datetime.timedelta(seconds=1)) is False
    assert len(ctx.captured_queries) == 0
    assert rollups_refresh_if_stale(now=marked_at + grace + datetime.timedelta(seconds=1)) is True
    assert not RollupDirtyDay.objects.exists()
    assert rollups_refresh_if_stale(now=marked_at + grace + datetime.timedelta(seconds=2)) is False
