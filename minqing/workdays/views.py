from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.accounts.policy import can
from minqing.core.errors import ApplicationError, PermissionDenied
from minqing.core.forms import form_add_error

from .calendar import SHANGHAI
from .forms import CalendarDayForm, CalendarYearForm
from .selectors import calendar_day_list, calendar_year_list
from .services import calendar_day_set, calendar_year_publish

KIND_TO_VALUE = {"holiday": False, "workday": True, "clear": None}


@login_required
def calendar_year(request, year: int | None = None):
    year = year or timezone.now().astimezone(SHANGHAI).year + 1
    years = calendar_year_list(actor=request.user)
    manages = can(request.user, "calendar.manage", None)
    if request.method == "POST" and not manages:
        raise PermissionDenied()  # readers (who dispatch by the calendar) see it, administrators change it
    day_form = CalendarDayForm(request.POST if "date" in request.POST else None)
    year_form = CalendarYearForm(request.POST if "year" in request.POST else None, initial={"year": year})
    try:
        if day_form.is_bound and day_form.is_valid():
            data = day_form.cleaned_data
            calendar_day_set(actor=request.user, date=data["date"], is_workday=KIND_TO_VALUE[data["kind"]],
                             name=data["name"])
            messages.success(request, _("已保存。"))
            return redirect("workdays:year_detail", year=data["date"].year)
        if year_form.is_bound and year_form.is_valid():
            calendar_year_publish(actor=request.user, **year_form.cleaned_data)
            messages.success(request, _("已确认该年度放假安排。"))
            return redirect("workdays:year_detail", year=year_form.cleaned_data["year"])
    except ApplicationError as error:
        form_add_error(day_form if day_form.is_bound else year_form, error)
    return render(request, "workdays/year.html", {
        "year": year, "years": years, "known": years.filter(year=year).first(),
        "days": calendar_day_list(actor=request.user, year=year), "day_form": day_form, "year_form": year_form,
        "manages": manages,
    })
