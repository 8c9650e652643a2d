"""Party pages: parse input, call one service or selector, render. Scope lives in the selectors and
services (outside scope → 404, inside but not allowed → 403)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, ensure_can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.models import Place, PlaceKind
from minqing.residents.models import Resident, ResidentStatus

from . import figures, selectors, services
from .forms import (AppraisalOpenForm, BallotForm, CancelForm, EdgeContactForm, HoldForm, MemberEditForm, MemberForm,
                    MinutesForm, OfficersForm, OrgForm, PostForm, ServiceForm, SessionForm, TransferForm)
from .models import Category, EdgeOutcome, OrgKind, PartyOrg, Relation, SessionStatus, WorkStatus

VIEW, CHANGE = "party.view", "party.change"


def _require(actor, perm=VIEW):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _orgs(actor, perm=CHANGE, kinds=None):
    orgs = PartyOrg.objects.filter(scope_q(actor, perm, field="place_code"))
    return orgs.filter(kind__in=kinds) if kinds else orgs


def _submit(request, form, call, done: str, to):
    """POST: valid form → one service → message and redirect; errors go back onto the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ApplicationError as error:
        form_add_error(form, error)
        return None
    messages.success(request, done)
    target = to(result) if callable(to) else to
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


# --- organisations ---------------------------------------------------------------------------------

@login_required
def index(request):
    _require(request.user)
    place = request.GET.get("place", "")
    return render(request, "party/index.html", {
        "tree": selectors.org_tree(actor=request.user, place_code=place),
        "counts": figures.member_counts(actor=request.user), "can_change": has_perm_anywhere(request.user, CHANGE)})


@login_required
def org_new(request):
    _require(request.user, CHANGE)
    places = Place.objects.filter(scope_q(request.user, CHANGE, field="code"),
                                  kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID])
    form = OrgForm(request.POST or None, orgs=_orgs(request.user).exclude(kind=OrgKind.GROUP), places=places,
                   initial={"kind": OrgKind.BRANCH})
    done = _submit(request, form, lambda d: services.org_create(actor=request.user, **d), _("党组织已建立。"),
                   lambda org: ("party:org", org.pk))
    return done or render(request, "party/form.html", {"form": form, "title": _("建立党组织")})


@login_required
def org_detail(request, pk):
    org = selectors.org_get(actor=request.user, org_id=pk)
    members = list(selectors.member_list(actor=request.user, org_id=org.pk))
    rates = selectors.attendance_rates([m.pk for m in members])
    return render(request, "party/org_detail.html", {
        "org": org, "rows": [(m, rates[m.pk]) for m in members], "committee": org.committee.select_related("resident"),
        "children": org.children.all(), "can_change": can(request.user, CHANGE, org.place_code)})


@login_required
def org_officers(request, pk):
    org = selectors.org_get(actor=request.user, org_id=pk)
    ensure_can(request.user, CHANGE, org.place_code)
    form = OfficersForm(request.POST or None, members=selectors.member_list(actor=request.user, org_id=org.pk),
                        initial={"secretary": org.secretary_id, "committee": list(org.committee.all())})
    return _submit(request, form, lambda d: services.org_set_officers(actor=request.user, org=org, **d),
                   _("已保存。"), ("party:org", org.pk)) \
        or render(request, "party/form.html", {"form": form, "title": _("书记和委员")})


# --- members ---------------------------------------------------------------------------------------

@login_required
def member_list_view(request):
    _require(request.user)
    g = request.GET
    members = selectors.member_list(actor=request.user, org_id=int(g["org"]) if g.get("org", "").isdigit() else None,
                                    category=g.get("category", ""), work_status=g.get("work_status", ""),
                                    relation=g.get("relation", ""), q=g.get("q", "").strip())
    page = Paginator(members, 50).get_page(g.get("page"))
    rates = selectors.attendance_rates([m.pk for m in page.object_list])
    return render(request, "party/member_list.html", {
        "page": page, "rows": [(m, rates[m.pk]) for m in page.object_list],
        "orgs": selectors.org_list(actor=request.user), "categories": Category.choices,
        "statuses": WorkStatus.choices, "relations": Relation.choices,
        "can_change": has_perm_anywhere(request.user, CHANGE)})


def _pick_resident(request):
    """The resident chosen (?resident=) among those the actor may read in the ledger, or a name search."""
    residents = Resident.objects.filter(scope_q(request.user, "ledger.view", field="place_code"),
                                        status=ResidentStatus.LIVING).select_related("household__building")
    chosen = request.POST.get("resident") or request.GET.get("resident") or ""
    if chosen.isdigit():
        resident = residents.filter(pk=chosen).first()
        if resident is None:
            raise NotFound()
        return resident, []
    q = request.GET.get("q", "").strip()
    return None, list(residents.filter(name__contains=q)[:20]) if q else []


@login_required
def member_new(request):
    _require(request.user, CHANGE)
    resident, matches = _pick_resident(request)
    orgs = _orgs(request.user).exclude(kind=OrgKind.GROUP)
    form = MemberForm(request.POST or None, orgs=orgs, groups=_orgs(request.user, kinds=[OrgKind.GROUP]),
                      initial={"org": orgs.filter(kind=OrgKind.BRANCH).first()})
    if resident is not None:
        done = _submit(request, form, lambda d: services.member_register(actor=request.user, resident=resident, **d),
                       _("党员已登记。"), lambda m: ("party:member", m.pk))
        if done:
            return done
    return render(request, "party/member_new.html", {"form": form, "resident": resident, "matches": matches})


@login_required
def member_detail(request, pk):
    member = selectors.member_get(actor=request.user, member_id=pk)
    return render(request, "party/member_detail.html", {
        "member": member, **selectors.member_records(member),
        "rate": selectors.attendance_rates([member.pk])[member.pk],
        "can_change": can(request.user, CHANGE, member.place_code)})


@login_required
def member_edit(request, pk):
    member = selectors.member_get(actor=request.user, member_id=pk)
    ensure_can(request.user, CHANGE, member.place_code)
    initial = {name: getattr(member, name) for name in services.MEMBER_EDITABLE} | {"version": member.version}
    form = MemberEditForm(request.POST or None, initial=initial, groups=member.org.children.filter(kind=OrgKind.GROUP))

    def call(d):
        version = d.pop("version")
        return services.member_update(actor=request.user, member=member, expected_version=version, **d)
    return _submit(request, form, call, _("已保存。"), ("party:member", member.pk)) or render(
        request, "party/form.html", {"form": form, "title": _("修改党员信息"), "back": member})


TRANSFERS = {
    "out": (_("转出组织关系"), lambda m, d, u: services.member_transfer_out(
        actor=u, member=m, date=d["date"], to_text=d["other"], expected_version=d["version"])),
    "in": (_("转入组织关系"), lambda m, d, u: services.member_transfer_in(
        actor=u, member=m, date=d["date"], from_text=d["other"], expected_version=d["version"])),
    "leave": (_("注销流动登记"), lambda m, d, u: services.member_leave(
        actor=u, member=m, date=d["date"], to_text=d["other"], expected_version=d["version"])),
}


@login_required
def member_transfer(request, pk, verb):
    if verb not in TRANSFERS:
        raise NotFound()
    member = selectors.member_get(actor=request.user, member_id=pk)
    ensure_can(request.user, CHANGE, member.place_code)
    title, call = TRANSFERS[verb]
    form = TransferForm(request.POST or None, initial={"version": member.version, "date": timezone.localdate()})
    return _submit(request, form, lambda d: call(member, d, request.user), _("已办理。"), ("party:member", member.pk)) \
        or render(request, "party/form.html", {"form": form, "title": title, "back": member})


@login_required
def post_new(request, pk):
    member = selectors.member_get(actor=request.user, member_id=pk)
    ensure_can(request.user, CHANGE, member.place_code)
    form = PostForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _submit(request, form, lambda d: services.post_create(actor=request.user, member=member, **d),
                   _("示范岗已设立。"), ("party:member", member.pk)) \
        or render(request, "party/form.html", {"form": form, "title": _("设立党员示范岗"), "back": member})


@login_required
def service_new(request, pk):
    member = selectors.member_get(actor=request.user, member_id=pk)
    ensure_can(request.user, CHANGE, member.place_code)
    form = ServiceForm(request.POST or None, initial={"served_on": timezone.localdate()})
    return _submit(request, form, lambda d: services.service_record(actor=request.user, member=member, **d),
                   _("服务记录已登记。"), ("party:member", member.pk)) \
        or render(request, "party/form.html", {"form": form, "title": _("登记服务"), "back": member})


@login_required
def posts(request):
    _require(request.user)
    return render(request, "party/posts.html", {"posts": selectors.post_list(actor=request.user)[:200],
                                                "services": selectors.service_list(actor=request.user)[:50]})


# --- edge members ----------------------------------------------------------------------------------

@login_required
def edge_list_view(request):
    _require(request.user)
    residents = selectors.edge_list(actor=request.user, place_code=request.GET.get("place", ""))
    page = Paginator(residents, 50).get_page(request.GET.get("page"))
    for resident in page.object_list:
        resident.last_outcome_label = EdgeOutcome(resident.last_outcome).label if resident.last_outcome else ""
    grids = Place.objects.filter(scope_q(request.user, VIEW, field="code"), kind=PlaceKind.GRID)
    return render(request, "party/edge_list.html", {"page": page, "grids": grids,
                                                    "can_change": has_perm_anywhere(request.user, CHANGE)})


@login_required
def edge_contact(request, resident_id):
    resident = selectors.edge_get(actor=request.user, resident_id=resident_id)
    ensure_can(request.user, CHANGE, resident.place_code)
    form = EdgeContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    return _submit(request, form, lambda d: services.edge_contact_record(actor=request.user, resident=resident, **d),
                   _("联系结果已记录。"), "party:edge") \
        or render(request, "party/form.html", {"form": form, "title": _("联系边缘党员 %(n)s") % {"n": resident.name}})


# --- organisation life -----------------------------------------------------------------------------

@login_required
def session_list_view(request):
    _require(request.user)
    g = request.GET
    sessions = selectors.session_list(actor=request.user, org_id=int(g["org"]) if g.get("org", "").isdigit() else None,
                                      status=g.get("status", ""))
    return render(request, "party/session_list.html", {
        "page": Paginator(sessions, 30).get_page(g.get("page")), "statuses": SessionStatus.choices,
        "flagged": selectors.absent_streak_list(actor=request.user),
        "can_change": has_perm_anywhere(request.user, CHANGE)})


@login_required
def session_new(request):
    _require(request.user, CHANGE)
    orgs = _orgs(request.user, kinds=[OrgKind.BRANCH, OrgKind.GROUP])
    form = SessionForm(request.POST or None, orgs=orgs, initial={"org": orgs.filter(kind=OrgKind.BRANCH).first(),
                                                                  "planned_on": timezone.localdate()})
    return _submit(request, form, lambda d: services.session_plan(actor=request.user, **d), _("已列入计划。"),
                   lambda s: ("party:session", s.pk)) \
        or render(request, "party/form.html", {"form": form, "title": _("安排组织生活")})


@login_required
def session_detail(request, pk):
    session = selectors.session_get(actor=request.user, session_id=pk)
    may = can(request.user, CHANGE, session.place_code)
    forms = {}
    if may and session.status == SessionStatus.PLANNED:
        forms["hold"] = HoldForm(initial={"version": session.version, "held_on": session.planned_on},
                                 members=services.session_expected(session).select_related("resident")
                                 .order_by("resident__name"))
        forms["cancel"] = CancelForm(initial={"version": session.version})
    if may and session.status == SessionStatus.HELD:
        forms["minutes"] = MinutesForm(initial={"version": session.version})
    return _session_page(request, session, forms, may)


def _session_page(request, session, forms, may, status=200):
    return render(request, "party/session_detail.html", {
        "session": session, "attendance": selectors.session_attendance(session), "can_change": may, **forms},
        status=status)


@login_required
@require_POST
def session_hold(request, pk):
    session = selectors.session_get(actor=request.user, session_id=pk)
    ensure_can(request.user, CHANGE, session.place_code)
    form = HoldForm(request.POST, members=services.session_expected(session).select_related("resident")
                    .order_by("resident__name"))
    done = _submit(request, form, lambda d: services.session_hold(
        actor=request.user, session=session, held_on=d["held_on"], attendance=form.attendance(),
        expected_version=d["version"]), _("已登记召开和出席情况。"), ("party:session", session.pk))
    return done or _session_page(request, session, {"hold": form, "cancel": CancelForm(
        initial={"version": session.version})}, True, status=422)


@login_required
@require_POST
def session_minutes(request, pk):
    session = selectors.session_get(actor=request.user, session_id=pk)
    ensure_can(request.user, CHANGE, session.place_code)
    form = MinutesForm(request.POST)
    return _submit(request, form, lambda d: services.session_record_minutes(
        actor=request.user, session=session, minutes=d["minutes"], expected_version=d["version"]),
        _("纪要已记录。"), ("party:session", session.pk)) or _session_page(request, session, {"minutes": form}, True, 422)


@login_required
@require_POST
def session_cancel(request, pk):
    session = selectors.session_get(actor=request.user, session_id=pk)
    ensure_can(request.user, CHANGE, session.place_code)
    form = CancelForm(request.POST)
    return _submit(request, form, lambda d: services.session_cancel(
        actor=request.user, session=session, reason=d["reason"], expected_version=d["version"]),
        _("已取消。"), ("party:session", session.pk)) or _session_page(request, session, {"cancel": form}, True, 422)


# --- appraisal ------------------------------------------------------------------------------------

@login_required
def appraisal_list_view(request):
    _require(request.user)
    form = AppraisalOpenForm(request.POST or None, orgs=_orgs(request.user, kinds=[OrgKind.BRANCH]))
    if request.method == "POST":
        _require(request.user, CHANGE)
        done = _submit(request, form, lambda d: services.appraisal_open(actor=request.user, **d),
                       _("民主评议已开始。"), lambda a: ("party:appraisal", a.pk))
        if done:
            return done
    return render(request, "party/appraisal_list.html", {
        "appraisals": selectors.appraisal_list(actor=request.user), "form": form,
        "can_change": has_perm_anywhere(request.user, CHANGE)})


@login_required
def appraisal_detail(request, pk):
    appraisal = selectors.appraisal_get(actor=request.user, appraisal_id=pk)
    results = selectors.appraisal_results(appraisal)
    return render(request, "party/appraisal_detail.html", {
        "appraisal": appraisal, "results": results, "failing": [r for r in results if r.failing],
        "can_change": can(request.user, CHANGE, appraisal.place_code)})


@login_required
def appraisal_ballot(request, pk):
    appraisal = selectors.appraisal_get(actor=request.user, appraisal_id=pk)
    ensure_can(request.user, CHANGE, appraisal.place_code)
    form = BallotForm(request.POST or None, members=selectors.org_members_for_ballot(appraisal))
    done = _submit(request, form, lambda d: services.appraisal_ballot_record(
        actor=request.user, appraisal=appraisal, ratings=form.ratings()), _("评议票已登记。"),
        ("party:appraisal_ballot", appraisal.pk))
    return done or render(request, "party/ballot.html", {"form": form, "appraisal": appraisal})


@login_required
@require_POST
def appraisal_close(request, pk):
    appraisal = selectors.appraisal_get(actor=request.user, appraisal_id=pk)
    try:
        services.appraisal_close(actor=request.user, appraisal=appraisal)
    except ApplicationError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
    return redirect("party:appraisal", appraisal.pk)


# --- figures --------------------------------------------------------------------------------------

def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
def figures_view(request):
    _require(request.user)
    year = _year(request)
    rows = figures.branch_figures(actor=request.user, year=year)
    return render(request, "party/figures.html", {
        "year": year, "rows": rows, "totals": figures.rollup(rows), "categories": figures.CATEGORY_COLUMNS,
        "statuses": figures.STATUS_COLUMNS, "ratings": figures.RATING_COLUMNS})


@login_required
def figures_export(request):
    year = _year(request)
    response = HttpResponse(figures.export_workbook(actor=request.user, year=year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="party-{year}.xlsx"'
    return response
