"""Reads of the working-day calendar."""
import datetime

from django.utils import timezone

from minqing.accounts.policy import ensure_can

from .calendar import SHANGHAI, is_year_known
from .models import CalendarDay, CalendarYear


def calendar_year_list(*, actor):
    ensure_can(actor, "calendar.manage", None)
    return CalendarYear.objects.all()


def calendar_day_list(*, actor, year: int):
    ensure_can(actor, "calendar.manage", None)
    return CalendarDay.objects.filter(date__year=year)


def calendar_next_year_missing(today: datetime.date | None = None) -> int | None:
    """Next year, if its official schedule is not entered yet (deadlines already reach into it)."""
    today = today or timezone.now().astimezone(SHANGHAI).date()
    return None if is_year_known(today.year + 1) else today.year + 1


def calendar_missing_year_panel(request) -> dict:
    return {"missing_year": calendar_next_year_missing()}
