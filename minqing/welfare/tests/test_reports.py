"""Time to decision and the share decided within the legal limits, against hand-worked values."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from minqing.welfare.deadlines import add_months, send_up_due, within_legal_limits
from minqing.welfare.models import Application
from minqing.welfare.reports import decision_stats

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _app(welfare, *, received, verified, sent_up=None, due=None, decided=None):
    a = Application.objects.create(
        programme=welfare["programme"], household=welfare["household"], applicant=welfare["household"].head,
        place_code=welfare["household"].place_code, status="approved" if decided else "received", reason="r",
        declared_income=Decimal(0), household_size=1, received_at=at(received), received_by=welfare["worker"],
        verification_due=received + datetime.timedelta(days=15), verified_at=at(verified) if verified else None,
        sent_up_at=at(sent_up) if sent_up else None, send_up_due=due, decided_at=at(decided) if decided else None)
    return a


def test_within_limits_and_time_to_decision(welfare):
    d = datetime.date
    on_time = _app(welfare, received=d(2026, 3, 2), verified=d(2026, 3, 17), sent_up=d(2026, 3, 30),
                   due=send_up_due(at(d(2026, 3, 30))), decided=d(2026, 4, 1))         # 30 days
    late_verify = _app(welfare, received=d(2026, 3, 2), verified=d(2026, 3, 18), decided=d(2026, 3, 22))  # 20 days
    late_send = _app(welfare, received=d(2026, 5, 6), verified=d(2026, 5, 10), sent_up=d(2026, 6, 1),
                     due=at(d(2026, 5, 30), 23), decided=d(2026, 6, 15))             # 40 days
    _app(welfare, received=d(2026, 6, 1), verified=None)                             # open: not counted
    assert [within_legal_limits(a) for a in (on_time, late_verify, late_send)] == [True, False, False]
    stats = decision_stats(Application.objects.all())
    assert (stats.decided, stats.within_limits) == (3, 1)
    assert stats.within_share == pytest.approx(1 / 3)
    assert (stats.median_days, stats.mean_days) == (30.0, 30.0)


def test_send_up_counts_working_days_over_a_holiday():
    # Friday 2026-09-25 + 5 working days: the National Day week (1–7 Oct 2026) is off, and the
    # make-up working days are on the calendar — whatever they are, the due day is a working day
    # and the count between is exactly five.
    from minqing.workdays.calendar import is_workday, working_days_between

    start = at(datetime.date(2026, 9, 25))
    due = send_up_due(start)
    assert is_workday(timezone.localtime(due).date())
    assert working_days_between(start, due) == 5


def test_add_months_clamps_to_month_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 6) == datetime.date(2027, 5, 15)
    assert add_months(datetime.date(2026, 11, 15), None) is None
