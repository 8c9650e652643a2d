"""Assessment pages: schemes and rankings with drill-down, 上评下 entry, 四无 checks and awards, 五个一."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.models import Place, PlaceKind

from . import exporting, fiveones, indicators, selectors, services
from .forms import (CheckForm, DecisionForm, NominationForm, PeriodForm, RecomputeForm, SchemeForm, StudyForm,
                    TopDownForm)
from .models import FOUR_NOS, NominationStatus, SchemeStatus, Subject
from .scoring import communities_of, context_of, standings, staff_of


BOARD_PAGE_SIZE, DECIDED_PAGE_SIZE = 50, 20


def _require(actor, perm: str) -> None:
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


# --- schemes ----------------------------------------------------------------------------------------------

@login_required
def scheme_list(request):
    _require(request.user, "assessment.view")
    streets = selectors.streets_for(request.user)
    return render(request, "assessment/scheme_list.html", {
        "schemes": selectors.scheme_list(actor=request.user), "can_create": streets.exists()})


@login_required
def scheme_new(request):
    _require(request.user, "assessment.change")
    form = SchemeForm(request.POST or None, streets=selectors.streets_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("w_")}
        try:
            scheme = services.scheme_create(actor=request.user, lines=form.lines(), **data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/scheme_form.html", {"form": form})


@login_required
def scheme_detail(request, pk: int):
    scheme = selectors.scheme_get(actor=request.user, pk=pk)
    rows = selectors.visible_keys(request.user, scheme, standings(scheme))
    can_change = can(request.user, "assessment.change", scheme.street.code)
    indicator_list = [(i, indicators.REGISTRY.get(i.code)) for i in scheme.indicators.all()]
    return render(request, "assessment/scheme_detail.html", {
        "scheme": scheme, "rows": rows, "indicators": indicator_list, "can_change": can_change,
        "top_down": _top_down_rows(scheme) if can_change and scheme.status != SchemeStatus.CLOSED else [],
        "recompute_form": RecomputeForm(), "verbs": scheme.status})


def _top_down_rows(scheme):
    if not scheme.indicators.filter(code="top_down").exists():
        return []
    entered = {(e.place.code if e.place_id else str(e.user_id)): e for e in scheme.top_down.select_related("place")}
    subjects = ([(p.code, p.name) for p in communities_of(scheme)] if scheme.subject == Subject.COMMUNITY
                else [(str(u.pk), u.get_full_name()) for u in staff_of(scheme)])
    return [(key, name, entered.get(key)) for key, name in subjects]


@login_required
@require_POST
def scheme_act(request, pk: int, verb: str):
    scheme = selectors.scheme_get(actor=request.user, pk=pk)
    actions = {"publish": services.scheme_publish, "close": services.scheme_close}
    try:
        if verb in actions:
            actions[verb](actor=request.user, scheme=scheme, expected_version=request.POST.get("version"))
        elif verb == "compute":
            services.scheme_compute(actor=request.user, scheme=scheme)
        elif verb == "recompute":
            form = RecomputeForm(request.POST)
            services.scheme_recompute(actor=request.user, scheme=scheme, expected_version=request.POST.get("version"),
                                      reason=form.data.get("reason", ""))
        else:
            raise NotFound()
    except ApplicationError as error:
        messages.error(request, " ".join([str(error.message), *[str(m) for ms in error.fields.values() for m in ms]]))
    else:
        messages.success(request, _("已完成。"))
    return redirect("assessment:scheme_detail", pk=scheme.pk)


@login_required
@require_POST
def top_down_enter(request, pk: int):
    scheme = selectors.scheme_get(actor=request.user, pk=pk)
    form = TopDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请输入 0–100 之间的分数。"))
        return redirect("assessment:scheme_detail", pk=pk)
    key = form.cleaned_data["key"]
    target = ({"place": Place.objects.filter(code=key, kind=PlaceKind.COMMUNITY).first()}
              if scheme.subject == Subject.COMMUNITY else
              {"user": get_user_model().objects.filter(pk=int(key) if key.isdigit() else 0).first()})
    try:
        services.top_down_enter(actor=request.user, scheme=scheme, score=form.cleaned_data["score"],
                                note=form.cleaned_data["note"], **target)
    except ApplicationError as error:
        messages.error(request, " ".join([str(error.message), *[str(m) for ms in error.fields.values() for m in ms]]))
    else:
        messages.success(request, _("评分已保存；重新计算后计入排名。"))
    return redirect("assessment:scheme_detail", pk=pk)


@login_required
def scheme_drill(request, pk: int, code: str, key: str):
    """The records behind one score: the demands on the dashboard, or the rows listed here."""
    scheme = selectors.scheme_get(actor=request.user, pk=pk)
    definition = indicators.REGISTRY.get(code)
    if definition is None or not scheme.indicators.filter(code=code).exists():
        raise NotFound()
    if scheme.subject == Subject.COMMUNITY:
        selectors.ensure_viewer(request.user, key)
    ctx = context_of(request.user, scheme)
    if definition.drill is not None:
        return redirect(definition.drill(ctx, scheme.subject, key))
    records = indicators.RECORDS.get(code)
    headers, rows = records(ctx, scheme.subject, key) if records else ([], [])
    score = scheme.scores.filter(code=code).filter(**({"place__code": key} if scheme.subject == Subject.COMMUNITY
                                                      else {"user_id": key})).first()
    return render(request, "assessment/drill.html", {"scheme": scheme, "definition": definition, "score": score,
                                                     "headers": headers, "rows": rows, "key": key})


@login_required
def scheme_export(request, pk: int):
    scheme = selectors.scheme_get(actor=request.user, pk=pk)
    rows = selectors.visible_keys(request.user, scheme, standings(scheme))
    response = HttpResponse(exporting.ranking_xlsx(scheme, rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="assessment-{scheme.pk}.xlsx"'
    return response


# --- 四无 checks and awards ----------------------------------------------------------------------------

@login_required
def civility(request):
    _require(request.user, "assessment.view")
    year = int(request.GET.get("year") or timezone.localdate().year) if (request.GET.get("year") or "").isdigit() \
        else timezone.localdate().year
    buildings = selectors.buildings_for_check(actor=request.user)
    form = CheckForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        try:
            services.civility_check_file(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("四无检查已记录。"))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    # One row per building, a column per quarter, 50 buildings a page: a community's ~100 buildings checked
    # four times a year were ~400 rows on one page (p95 193 ms at city scale, docs/performance.md "tenth pass")
    nominations = selectors.nomination_list(actor=request.user, year=year)
    page = Paginator(selectors.board_buildings(actor=request.user), BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessment/civility.html", {
        "form": form, "can_check": buildings.exists(), "year": year, "four_nos": FOUR_NOS, "page": page,
        "board": selectors.check_board(actor=request.user, buildings=list(page), year=year),
        "figures": selectors.check_figures(actor=request.user, year=year),
        "total_buildings": page.paginator.count,
        # what awaits the secretary's decision in full; what was decided a page at a time, newest quarter first
        "pending": nominations.filter(status=NominationStatus.NOMINATED),
        "decided": Paginator(nominations.exclude(status=NominationStatus.NOMINATED), DECIDED_PAGE_SIZE)
        .get_page(request.GET.get("decided")),
        "communities": Place.objects.filter(scope_q(request.user, "assessment.approve", "code"),
                                            kind=PlaceKind.COMMUNITY)})


def _to_civility(year):
    return redirect(f"{reverse('assessment:civility')}?year={year}")


@login_required
def nominate(request, check_pk: int):
    check = selectors.check_get(actor=request.user, pk=check_pk)
    form = NominationForm(request.POST or None, check=check)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_create(actor=request.user, check=check, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("推荐已提交，待社区书记审批。"))
            return _to_civility(check.year)
    return render(request, "assessment/nominate.html", {"form": form, "check": check})


@login_required
@require_POST
def nomination_decide(request, pk: int):
    nomination = selectors.nomination_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise NotFound()
        services.nomination_decide(actor=request.user, nomination=nomination, approve=form.cleaned_data["approve"],
                                   note=form.cleaned_data["note"], expected_version=request.POST.get("version"))
    except ApplicationError as error:
        messages.error(request, " ".join([str(error.message), *[str(m) for ms in error.fields.values() for m in ms]]))
    return _to_civility(nomination.civility_check.year)


@login_required
@require_POST
def nominations_publish(request):
    community = Place.objects.filter(code=request.POST.get("community", ""), kind=PlaceKind.COMMUNITY).first()
    if community is None:
        raise NotFound()
    try:
        services.nominations_publish(actor=request.user, community=community, year=int(request.POST.get("year", 0)),
                                     quarter=int(request.POST.get("quarter", 0)))
    except (ApplicationError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", _("输入有误，请按提示修改。"))))
    else:
        messages.success(request, _("评比结果已在居务公开栏公示。"))
    return _to_civility(request.POST.get("year", ""))


@login_required
def honour_roll(request, year: int):
    _require(request.user, "assessment.view")
    return render(request, "assessment/honour_roll.html", {
        "year": year, "awards": selectors.honour_roll(actor=request.user, year=year)})


# --- 五个一 ----------------------------------------------------------------------------------------------

@login_required
def five_ones(request):
    _require(request.user, "assessment.view")
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    places = Place.objects.filter(scope_q(request.user, "assessment.change", "code"),
                                  kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID])
    form = StudyForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_record(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("专题调研已记录。"))
            return redirect("assessment:five_ones")
    checklists = fiveones.checklists_for(fiveones.leaders_in_scope(request.user)[:50], start, end)
    return render(request, "assessment/five_ones.html", {
        "period": period, "start": start, "end": end, "checklists": checklists, "form": form,
        "can_record": places.exists(), "items": fiveones.ITEMS})
