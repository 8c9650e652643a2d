"""Visit pages: the worker's due list, the visit form at the door, coverage, cycles and help."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.models import Role
from minqing.accounts.policy import can, has_perm_anywhere, place_codes, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.codes import prefix_at
from minqing.places.models import Place, PlaceKind
from minqing.residents.models import CareTag, Household
from minqing.residents.selectors import household_get

from . import demands, pdf, services
from .coverage import coverage_by_cadre, coverage_by_grid, coverage_of_round, coverage_total
from .forms import CycleForm, HelpForm, PeriodForm, RoundForm, VisitForm
from .models import HelpKind
from .plans import due_attach, due_list
from .selectors import (cycle_list, help_list, help_totals_by_kind, household_help_history, household_search,
                        need_get, round_list, visit_get, visit_list)


def _households(actor):
    return Household.objects.filter(scope_q(actor, "visit.change", field="place_code"), is_active=True) \
        .select_related("building", "head")


def _colleagues(actor):
    codes = place_codes(actor, "visit.change")
    users = get_user_model().objects.filter(assignments__is_active=True).exclude(
        assignments__role=Role.PARTNER_UNIT)
    if codes is not None:
        prefixes = {prefix_at(code, PlaceKind.COMMUNITY) for code in codes}
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(assignments__place__code__startswith=prefix)
        users = users.filter(condition)
    return users.exclude(pk=actor.pk).distinct().order_by("display_name")


def _require(actor, perm):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


@login_required
def due(request):
    _require(request.user, "visit.view")
    mine = request.GET.get("mine") == "1"
    rows = due_list(actor=request.user, today=timezone.localdate(), place_code=request.GET.get("place", ""),
                    liaison=request.user if mine else None)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    due_attach(page.object_list)
    grids = Place.objects.filter(scope_q(request.user, "visit.view", field="code"), kind=PlaceKind.GRID)
    return render(request, "visits/due.html", {"page": page, "mine": mine, "total": len(rows), "grids": grids,
                                               "can_change": has_perm_anywhere(request.user, "visit.change"),
                                               "overdue": sum(r.state == "overdue" for r in rows)})


@login_required
def due_print(request):
    _require(request.user, "visit.view")
    rows = due_list(actor=request.user, today=timezone.localdate(), place_code=request.GET.get("place", ""),
                    liaison=request.user if request.GET.get("mine") == "1" else None)[:500]
    response = HttpResponse(pdf.due_sheet_pdf(due_attach(rows), actor=request.user), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="visit-sheet.pdf"'
    return response


@login_required
def visit_new(request):
    _require(request.user, "visit.change")
    today = timezone.localdate()
    form = VisitForm(request.POST or None, households=_households(request.user), colleagues=_colleagues(request.user),
                     rounds=round_list(actor=request.user).filter(start_date__lte=today, end_date__gte=today),
                     initial={"household": request.GET.get("household")})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(
                actor=request.user, household=form.cleaned_data["household"], kind=form.cleaned_data["kind"],
                visited_on=form.cleaned_data["visited_on"], visitors=[request.user, *form.cleaned_data["visitors"]],
                met=form.cleaned_data["met"], notes=form.cleaned_data["notes"], needs=form.need_lines(),
                round=form.cleaned_data["round"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("走访已登记。"))
            return redirect("visits:detail", pk=visit.pk)
    return render(request, "visits/visit_form.html", _picking(request, form))


def _picking(request, form) -> dict:
    """The chosen household (from ?household= or the posted form), or the search to choose one:
    a select of thousands of households is no use on a phone."""
    household_id = request.POST.get("household") or request.GET.get("household") or ""
    household = _households(request.user).filter(pk=household_id).first() if household_id.isdigit() else None
    matches = [] if household else household_search(actor=request.user, perm="visit.change", q=request.GET.get("q", ""))
    return {"form": form, "household": household, "matches": matches, "due_link": True}


@login_required
def visit_list_view(request):
    _require(request.user, "visit.view")
    visits = visit_list(actor=request.user, place_code=request.GET.get("place", ""), kind=request.GET.get("kind", ""))
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(request, "visits/visit_list.html", {"page": page})


@login_required
def visit_detail(request, pk):
    visit = visit_get(actor=request.user, visit_id=pk)
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "can_change": can(request.user, "visit.change", visit.place_code),
        "demands_available": demands.available()})


@login_required
@require_POST
def need_add(request, pk):
    visit = visit_get(actor=request.user, visit_id=pk)
    try:
        services.visit_need_add(actor=request.user, visit=visit, text=request.POST.get("text", ""))
    except ApplicationError as error:
        messages.error(request, " ".join(str(m) for ms in error.fields.values() for m in ms) or str(error.message))
    return redirect("visits:detail", pk=visit.pk)


@login_required
@require_POST
def need_to_demand(request, pk):
    need = need_get(actor=request.user, need_id=pk)
    try:
        need = services.visit_need_to_demand(actor=request.user, need=need, expected_version=request.POST.get("version"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已转为诉求 %(label)s，渠道为“走访发现”。") % {"label": need.appeal_label})
    return redirect("visits:detail", pk=need.visit_id)


@login_required
@require_POST
def need_solved(request, pk):
    need = need_get(actor=request.user, need_id=pk)
    services.visit_need_mark_solved(actor=request.user, need=need, expected_version=request.POST.get("version"))
    return redirect("visits:detail", pk=need.visit_id)


def _period(request) -> tuple[datetime.date, datetime.date, str, PeriodForm]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("start") or today.replace(month=((today.month - 1) // 3) * 3 + 1, day=1)
    return start, data.get("end") or today, data.get("place") or "", form


@login_required
def coverage(request):
    _require(request.user, "visit.view")
    start, end, place, form = _period(request)
    grids = coverage_by_grid(actor=request.user, start=start, end=end, within=place)
    return render(request, "visits/coverage.html", {
        "form": form, "start": start, "end": end, "grids": grids, "total": coverage_total(grids),
        "cadres": coverage_by_cadre(actor=request.user, start=start, end=end, within=place)})


@login_required
def cycles(request):
    _require(request.user, "visit.view")
    if request.method == "POST":
        form = CycleForm(request.POST)
        tag = CareTag.objects.filter(pk=request.POST.get("tag") or 0).first()
        if form.is_valid():
            services.visit_cycle_set(actor=request.user, interval_days=form.cleaned_data["interval_days"], tag=tag)
            messages.success(request, _("走访周期已保存。"))
            return redirect("visits:cycles")
        messages.error(request, _("周期须在 1 到 366 天之间。"))
    return render(request, "visits/cycles.html", {"cycles": cycle_list(actor=request.user),
                                                  "tags": CareTag.objects.filter(is_active=True)})


@login_required
def rounds(request):
    """The leaders' 民情大走访 rounds, each with its coverage; a new round for those who may."""
    _require(request.user, "visit.view")
    places = Place.objects.filter(scope_q(request.user, "visit.change", field="code"),
                                  kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID])
    leaders = get_user_model().objects.filter(Q(pk__in=_colleagues(request.user).values("pk")) | Q(pk=request.user.pk))
    form = RoundForm(request.POST or None, places=places, leaders=leaders.order_by("display_name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_round_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("visits:rounds")
    rows = [(r, coverage_of_round(actor=request.user, visit_round=r)) for r in round_list(actor=request.user)[:20]]
    return render(request, "visits/rounds.html", {"rows": rows, "form": form, "can_create": places.exists()})


@login_required
def help_list_view(request):
    _require(request.user, "visit.view")
    start, end, place, form = _period(request)
    records = help_list(actor=request.user, place_code=place, kind=request.GET.get("kind", ""), start=start, end=end)
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    return render(request, "visits/help_list.html", {"page": page, "form": form, "kinds": HelpKind.choices,
                                                     "totals": help_totals_by_kind(records)})


@login_required
def help_new(request):
    _require(request.user, "visit.change")
    form = HelpForm(request.POST or None, households=_households(request.user),
                    initial={"household": request.GET.get("household")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.help_record_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("帮扶记录已保存。"))
            return redirect("visits:household", household_id=record.household_id)
    return render(request, "visits/help_form.html", _picking(request, form))


@login_required
def household_history(request, household_id):
    household = household_get(actor=request.user, household_id=household_id)
    return render(request, "visits/household.html", {
        "household": household, "history": household_help_history(actor=request.user, household=household),
        "visits": visit_list(actor=request.user, household_id=household.pk)[:50],
        "can_change": can(request.user, "visit.change", household.place_code)})
