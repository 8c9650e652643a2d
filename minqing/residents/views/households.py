"""Household pages, new residents, care-tag lists by place and the liaison 包户 pages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.models import User
from minqing.accounts.policy import can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error
from minqing.core.selectors import audit_list_for_object
from minqing.places.codes import grid_code
from minqing.places.models import Place, PlaceKind

from .. import services
from ..forms import HouseholdCreateForm, HouseholdForm, ResidentCreateForm
from ..models import ResidentTag
from ..selectors import (care_tag_counts_by_grid, household_former_members, household_get, household_list,
                         household_members, liaison_summary)
from ..timeline import household_timeline


@login_required
def household_detail(request, household_id):
    household = household_get(actor=request.user, household_id=household_id)
    current_tags = Prefetch("tags", queryset=ResidentTag.objects.current().select_related("tag"), to_attr="current_tags")
    members = list(household_members(actor=request.user, household=household).prefetch_related(current_tags))
    former = list(household_former_members(household=household))
    return render(request, "residents/household_detail.html", {
        "household": household, "members": members, "former": former,
        "timeline": household_timeline(actor=request.user, household=household,
                                       resident_ids=[m.pk for m in members + former]),
        "audit_entries": (audit_list_for_object(actor=request.user, obj=household)
                          if can(request.user, "audit.view", household.place_code) else None),
        "can_change": can(request.user, "ledger.change", household.place_code),
    })


def _building_choices(actor) -> list[tuple[int, str]]:
    buildings = Place.objects.filter(scope_q(actor, "ledger.change", field="code"), kind=PlaceKind.BUILDING)
    grids = dict(Place.objects.filter(kind=PlaceKind.GRID, code__in={grid_code(b.code) for b in buildings})
                 .values_list("code", "name"))
    return [(b.pk, f"{grids.get(grid_code(b.code), '')} {b.name}") for b in buildings]


@login_required
def household_create(request):
    if not has_perm_anywhere(request.user, "ledger.change"):
        raise PermissionDenied()
    building = Place.objects.filter(code=request.GET.get("building", ""), kind=PlaceKind.BUILDING).first()
    if request.method == "POST":
        building = Place.objects.filter(pk=request.POST.get("building") or 0, kind=PlaceKind.BUILDING).first()
    form = HouseholdCreateForm(request.POST or None, buildings=_building_choices(request.user),
                               initial={"building": building.pk if building else None},
                               candidates=services.liaison_candidates(building.code) if building else ())
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, building_id=form.cleaned_data["building"],
                                                  room=form.cleaned_data["room"],
                                                  liaison_id=form.cleaned_data["liaison"],
                                                  notes=form.cleaned_data["notes"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("已建户，请登记户内成员。"))
            return redirect("residents:resident_create", household.pk)
    return render(request, "residents/household_form.html", {"form": form})


@login_required
def household_edit(request, household_id):
    household = household_get(actor=request.user, household_id=household_id)
    if not can(request.user, "ledger.change", household.place_code):
        raise PermissionDenied()
    form = HouseholdForm(request.POST or None, candidates=services.liaison_candidates(household.place_code),
                         initial={"room": household.room, "liaison": household.liaison_id, "notes": household.notes,
                                  "version": household.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.household_update(actor=request.user, household_id=household.pk, expected_version=data["version"],
                                      room=data["room"], liaison_id=data["liaison"], notes=data["notes"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("residents:household", household.pk)
    return render(request, "residents/household_form.html", {"form": form, "household": household})


@login_required
@require_POST
def household_set_head(request, household_id):
    household = household_get(actor=request.user, household_id=household_id)
    try:
        services.household_set_head(actor=request.user, household_id=household.pk,
                                    resident_id=int(request.POST.get("resident") or 0))
    except (ApplicationError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("请选择本户成员。")))
    else:
        messages.success(request, _("已变更户主。"))
    return redirect("residents:household", household.pk)


@login_required
def resident_create(request, household_id):
    household = household_get(actor=request.user, household_id=household_id)
    if not can(request.user, "ledger.change", household.place_code):
        raise PermissionDenied()
    form = ResidentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            resident = services.resident_register(actor=request.user, household_id=household.pk, **data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": resident.name})
            return redirect("residents:household", household.pk)
    return render(request, "residents/resident_form.html", {"form": form, "household": household})


@login_required
def care_tag_overview(request):
    """Counts of each care tag per grid; each number links to the list of those residents."""
    if not has_perm_anywhere(request.user, "ledger.view"):
        raise NotFound()
    place_code = request.GET.get("place", "")
    data = care_tag_counts_by_grid(actor=request.user, place_code=place_code)
    rows = [{"grid": grid, "cells": [(tag, data["counts"].get((grid.code, tag.pk), 0)) for tag in data["tags"]]}
            for grid in data["grids"]]
    totals = [(tag, data["totals"].get(tag.pk, 0)) for tag in data["tags"]]
    return render(request, "residents/care_tags.html", {"rows": rows, "totals": totals, "place_code": place_code})


@login_required
def liaison_overview(request):
    """Households without a liaison, and each cadre with their count of households."""
    if not has_perm_anywhere(request.user, "ledger.view"):
        raise NotFound()
    place_code = request.GET.get("place", "")
    unassigned = household_list(actor=request.user, place_code=place_code, without_liaison=True)
    page = Paginator(unassigned, 50).get_page(request.GET.get("page"))
    return render(request, "residents/liaison.html", {
        "page": page, "summary": liaison_summary(actor=request.user, place_code=place_code),
    })


@login_required
def liaison_households(request, user_id):
    """One cadre's households (within what the viewer may see). `mine` shows the viewer's own."""
    cadre = User.objects.filter(pk=user_id).first()
    if cadre is None or not has_perm_anywhere(request.user, "ledger.view"):
        raise NotFound()
    households = household_list(actor=request.user, liaison_id=cadre.pk)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "residents/liaison_households.html", {"cadre": cadre, "page": page})


@login_required
def my_households(request):
    return liaison_households(request, request.user.pk)
