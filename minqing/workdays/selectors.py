"""Reads of the working-day calendar."""
import datetime

from django.utils import timezone

from minqing.accounts.policy import can, has_perm_anywhere
from minqing.core.errors import NotFound

from .calendar import SHANGHAI, is_year_known
from .models import CalendarDay, CalendarYear


def calendar_may_read(actor) -> bool:
    """Administrators keep the calendar; those who dispatch by it (deadlines in working days) read it."""
    return can(actor, "calendar.manage", None) or has_perm_anywhere(actor, "appeal.dispatch")


def _ensure_reader(actor) -> None:
    if not calendar_may_read(actor):
        raise NotFound()


def calendar_year_list(*, actor):
    _ensure_reader(actor)
    return CalendarYear.objects.all()


def calendar_day_list(*, actor, year: int):
    _ensure_reader(actor)
    return CalendarDay.objects.filter(date__year=year)


def calendar_next_year_missing(today: datetime.date | None = None) -> int | None:
    """Next year, if its official schedule is not entered yet (deadlines already reach into it)."""
    today = today or timezone.now().astimezone(SHANGHAI).date()
    return None if is_year_known(today.year + 1) else today.year + 1


def calendar_missing_year_panel(request) -> dict:
    return {"missing_year": calendar_next_year_missing()}
