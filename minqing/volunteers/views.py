"""Workers' pages: teams and associations, activities with their sign-ups and attendance, a
volunteer's record, the honour roll and the figures."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.core.userdata import DataText
from minqing.disclosure.charts import bar_chart
from minqing.places.models import Place, PlaceKind
from minqing.residents.selectors import resident_get, resident_list

from . import selectors, services
from .forms import ActivityForm, CancelActivityForm, CharterForm, TeamForm
from .models import SignUpStatus, TeamKind


def _require(actor, perm="volunteer.view"):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _communities(actor):
    return Place.objects.filter(scope_q(actor, "volunteer.change", field="code"), kind=PlaceKind.COMMUNITY)


def _year(request) -> int:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year


@login_required
def index(request):
    _require(request.user)
    kind = request.GET.get("kind", "")
    return render(request, "volunteers/index.html", {
        "teams": selectors.team_list(actor=request.user, kind=kind if kind in TeamKind.values else ""),
        "activities": selectors.activity_list(actor=request.user, status="open").order_by("starts_at")[:20],
        "kind": kind, "kinds": TeamKind.choices,
        "can_change": has_perm_anywhere(request.user, "volunteer.change")})


@login_required
def team_new(request):
    _require(request.user, "volunteer.change")
    form = TeamForm(request.POST or None, communities=_communities(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("已建立。"))
            return redirect("volunteers:team", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form})


@login_required
def team_detail(request, pk):
    team = selectors.team_get(actor=request.user, team_id=pk)
    can_change = can(request.user, "volunteer.change", team.place_code)
    q = request.GET.get("q", "").strip()
    matches = resident_list(actor=request.user, q=q, place_code=team.place_code)[:20] if q and can_change else []
    return render(request, "volunteers/team_detail.html", {
        "team": team, "members": selectors.team_members(team=team), "can_change": can_change, "matches": matches,
        "activities": selectors.activity_list(actor=request.user, team_id=team.pk)[:30],
        "charter_form": CharterForm(initial={"charter": team.charter, "version": team.version})})


@login_required
@require_POST
def team_charter(request, pk):
    form = CharterForm(request.POST)
    if form.is_valid():
        services.team_update(actor=request.user, team_id=pk, version=form.cleaned_data["version"],
                             charter=form.cleaned_data["charter"])
        messages.success(request, _("章程已保存。"))
    return redirect("volunteers:team", pk=pk)


@login_required
@require_POST
def member_add(request, pk):
    resident = resident_get(actor=request.user, resident_id=int(request.POST.get("resident", "0") or 0))
    try:
        services.member_add(actor=request.user, team_id=pk, resident=resident)
    except ApplicationError as error:
        messages.error(request, "；".join([str(error.message), *(str(m) for v in error.fields.values() for m in v)]))
    else:
        messages.success(request, _("已加入。"))
    return redirect("volunteers:team", pk=pk)


@login_required
@require_POST
def member_lead(request, pk, membership_id):
    membership = selectors.team_members(team=selectors.team_get(actor=request.user, team_id=pk)).filter(
        pk=membership_id).first()
    if membership is None:
        raise NotFound()
    services.team_update(actor=request.user, team_id=pk, leader=membership.resident)
    messages.success(request, _("负责人已更新。"))
    return redirect("volunteers:team", pk=pk)


@login_required
@require_POST
def member_leave(request, pk, membership_id):
    services.member_leave(actor=request.user, membership_id=membership_id)
    messages.success(request, _("已登记退出。"))
    return redirect("volunteers:team", pk=pk)


@login_required
def activity_new(request, pk):
    team = selectors.team_get(actor=request.user, team_id=pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_post(actor=request.user, team=team, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("活动已发布，居民可在公开页面报名。"))
            return redirect("volunteers:activity", pk=activity.pk)
    return render(request, "volunteers/activity_form.html", {"form": form, "team": team})


@login_required
def activity_detail(request, pk):
    activity = selectors.activity_get(actor=request.user, activity_id=pk)
    signups = selectors.activity_signups(activity=activity)
    return render(request, "volunteers/activity_detail.html", {
        "activity": activity, "signups": signups, "signed": [s for s in signups if s.status == SignUpStatus.SIGNED],
        "can_change": can(request.user, "volunteer.change", activity.place_code),
        "started": activity.starts_at <= timezone.now(), "cancel_form": CancelActivityForm(),
        "default_hours": round((activity.ends_at - activity.starts_at).total_seconds() / 3600, 1)})


@login_required
@require_POST
def activity_attendance(request, pk):
    attended = {}
    for key, value in request.POST.items():
        if key.startswith("hours_") and request.POST.get(f"came_{key[6:]}") and key[6:].isdigit():
            try:
                attended[int(key[6:])] = Decimal(value or "0")
            except InvalidOperation:
                attended[int(key[6:])] = Decimal(0)
    try:
        services.activity_record_attendance(actor=request.user, activity_id=pk, attended=attended)
    except ApplicationError as error:
        messages.error(request, "；".join([str(error.message), *(str(m) for v in error.fields.values() for m in v)]))
    else:
        messages.success(request, _("考勤已登记，积分已计入。"))
    return redirect("volunteers:activity", pk=pk)


@login_required
@require_POST
def activity_cancel(request, pk):
    form = CancelActivityForm(request.POST)
    try:
        services.activity_cancel(actor=request.user, activity_id=pk,
                                 reason=form.data.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, "；".join([str(error.message), *(str(m) for v in error.fields.values() for m in v)]))
    return redirect("volunteers:activity", pk=pk)


@login_required
def volunteer_record(request, phone_hash):
    _require(request.user)
    rows, totals = selectors.volunteer_record_by_hash(phone_hash=phone_hash, actor=request.user)
    if not rows:
        raise NotFound()
    return render(request, "volunteers/record.html", {"rows": rows, "totals": totals, "who": rows[0]})


@login_required
def figures(request):
    _require(request.user)
    year = _year(request)
    communities = Place.objects.filter(scope_q(request.user, "volunteer.view", field="code"), kind=PlaceKind.COMMUNITY)
    community = communities.filter(code=request.GET.get("place", "")).first() or communities.first()
    if community is None:
        raise NotFound()
    data = selectors.volunteer_figures(community.code, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    teams = list(selectors.team_list(actor=request.user).filter(place_code=community.code))
    rows = [(t, data["teams"].get(t.pk, {})) for t in teams]
    return render(request, "volunteers/figures.html", {
        "year": year, "community": community, "communities": communities, "total": data["total"], "rows": rows,
        "chart": bar_chart([(DataText(t.name), float(f.get("hours", 0))) for t, f in rows], unit="h", title=_("服务时长")),
        "honour": selectors.honour_roll(place_code=community.code, year=year)})
