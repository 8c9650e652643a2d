"""The legal time limits of welfare review.

- Investigation (home verification) within 15 days of receipt: `Application.verification_due`.
- Sent up within 5 working days after the public notice ends (or after verification/appraisal for
  programmes without a notice): `send_up_due`, counted on the Chinese working-day calendar of
  `minqing.workdays` (holidays and make-up days), falling back to plain weekdays if it is absent.
"""
from __future__ import annotations

import calendar
import datetime

from django.utils import timezone
from minqing.workdays.calendar import add_working_days as calendar_add

SEND_UP_WORKING_DAYS = 5


def _weekday_add(start: datetime.datetime, n: int) -> datetime.datetime:
    # TODO(workdays): only used when minqing.workdays is not installed; weekends only, no holidays.
    day, counted = timezone.localtime(start).date(), 0
    while counted < n:
        day += datetime.timedelta(days=1)
        counted += day.weekday() < 5
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def add_working_days(start: datetime.datetime, n: int) -> datetime.datetime:
    return calendar_add(start, n)


def send_up_due(start: datetime.datetime) -> datetime.datetime:
    return add_working_days(start, SEND_UP_WORKING_DAYS)


def add_months(day: datetime.date, months: int | None) -> datetime.date | None:
    """The same day `months` later (clamped to the month's end); None when there is no period."""
    if not months:
        return None
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def within_legal_limits(application) -> bool | None:
    """Whether a decided file kept both limits: verified by its 15-day due date, and sent up by the
    5-working-day due date (where it was sent up). None for a file not yet decided."""
    if application.decided_at is None:
        return None
    if application.verified_at is None or timezone.localtime(application.verified_at).date() > application.verification_due:
        return False
    if application.send_up_due is not None and (application.sent_up_at is None
                                                or application.sent_up_at > application.send_up_due):
        return False
    return True
