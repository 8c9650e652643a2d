"""Every write to the working-day calendar (administrators with "calendar.manage")."""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from minqing.accounts.policy import ensure_can
from minqing.core.audit import audit_record
from minqing.core.errors import ValidationError

from .calendar import calendar_cache_clear
from .models import CalendarDay, CalendarSource, CalendarYear


@transaction.atomic
def calendar_day_set(*, actor, date: datetime.date, is_workday: bool | None, name: str = "") -> CalendarDay | None:
    """Mark a day as holiday (False) or make-up working day (True); None removes the exception."""
    ensure_can(actor, "calendar.manage", None)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = {"is_workday": day.is_workday, "name": day.name} if day else {}
    if is_workday is None:
        if day is None:
            return None
        audit_record(actor=actor, action="calendar.day_clear", obj=day, changes={"before": before})
        day.delete()
        calendar_cache_clear()
        return None
    if not is_workday and not name.strip():
        raise ValidationError(fields={"name": [_("请填写节假日名称。")]})
    day = day or CalendarDay(date=date)
    day.is_workday, day.name, day.source = is_workday, name.strip(), CalendarSource.ADMIN
    day.save()
    audit_record(actor=actor, action="calendar.day_set", obj=day,
                 changes={"before": before, "after": {"is_workday": is_workday, "name": day.name}})
    transaction.on_commit(calendar_cache_clear)
    calendar_cache_clear()
    return day


@transaction.atomic
def calendar_year_publish(*, actor, year: int, note: str = "") -> CalendarYear:
    """Declare a year's schedule entered: from now on its weekdays count as the week says."""
    ensure_can(actor, "calendar.manage", None)
    if not 2000 <= year <= 2100:
        raise ValidationError(fields={"year": [_("年份不正确。")]})
    entry, created = CalendarYear.objects.get_or_create(
        year=year, defaults={"source": CalendarSource.ADMIN, "note": note})
    if created:
        audit_record(actor=actor, action="calendar.year_publish", obj=entry, changes={"year": year, "note": note})
    transaction.on_commit(calendar_cache_clear)
    calendar_cache_clear()
    return entry
