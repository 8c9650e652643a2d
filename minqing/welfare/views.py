"""Welfare review pages. Each action posts one form to one service and returns to the file."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, holders, scope_q
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationError
from minqing.core.forms import form_add_error
from minqing.core.selectors import audit_list_for_object
from minqing.places.models import Place, PlaceKind
from minqing.residents.models import CareTag, Household
from minqing.visits.selectors import household_search

from . import pdf, reports, services
from .forms import (AnswerForm, AppraiseForm, ApplicationForm, ApproveForm, DisburseForm, ObjectionForm,
                    ProgrammeForm, ReasonForm, RelationForm, ReReviewForm, VerifyForm)
from .models import Status, allowed_verbs
from .selectors import application_get, application_list, objection_get, programme_list, staff_relation_list


def _require(actor, perm):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _staff(application):
    """People who may be named as verifiers: holders of welfare.change over the household."""
    return holders("welfare.change", application.place_code)


def _forms(application, data=None, failed=None):
    forms = {
        "verify": VerifyForm(initial={"version": application.version}, staff=_staff(application)),
        "appraise": AppraiseForm(initial={"version": application.version}),
        "approve": ApproveForm(initial={"version": application.version, "amount": application.proposed_amount}),
        "reject": ReasonForm(initial={"version": application.version}),
        "withdraw": ReasonForm(initial={"version": application.version}),
        "disburse": DisburseForm(initial={"amount": application.approved_amount}),
        "rereview": ReReviewForm(initial={"version": application.version}),
        "objection": ObjectionForm(),
    }
    if failed:
        forms[failed[0]] = failed[1]
    return forms


def _detail(request, application, failed=None, status=200):
    actor = request.user
    return render(request, "welfare/detail.html", {
        "application": application, "verbs": allowed_verbs(application.status), "forms": _forms(application, failed=failed),
        "answer_form": AnswerForm(), "can_change": can(actor, "welfare.change", application.place_code),
        "can_appraise": can(actor, "welfare.appraise", application.place_code),
        "can_approve": can(actor, "welfare.approve", application.place_code),
        "audit_entries": audit_list_for_object(actor=actor, obj=application)}, status=status)


@login_required
def application_list_view(request):
    _require(request.user, "welfare.view")
    programme = request.GET.get("programme") or ""
    if programme and not programme.isdigit():  # was a 500 (ValueError) before issue 13.9
        raise ValidationError(fields={"programme": [_("救助项目参数不正确。")]})
    applications = application_list(actor=request.user, status=request.GET.get("status", ""),
                                    programme_id=int(programme) if programme else None,
                                    flagged=request.GET.get("flagged") == "1", due=request.GET.get("due", ""))
    page = Paginator(applications, 30).get_page(request.GET.get("page"))
    return render(request, "welfare/list.html", {"page": page, "statuses": Status.choices,
                                                 "programmes": programme_list(actor=request.user),
                                                 "can_change": has_perm_anywhere(request.user, "welfare.change")})


def _chosen(request, households):
    household_id = request.POST.get("household") or request.GET.get("household") or ""
    return households.filter(pk=household_id).first() if household_id.isdigit() else None


@login_required
def application_new(request):
    _require(request.user, "welfare.change")
    households = Household.objects.filter(scope_q(request.user, "welfare.change", field="place_code"),
                                          is_active=True).select_related("building", "head")
    household = _chosen(request, households)
    if household is None:
        return render(request, "welfare/new.html", {"matches": household_search(
            actor=request.user, perm="welfare.change", q=request.GET.get("q", ""))})
    form = ApplicationForm(request.POST or None, households=households, residents=household.members.living(),
                           programmes=programme_list(actor=request.user, place_code=household.place_code),
                           initial={"household": household.pk, "applicant": household.head_id})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("申请已受理，请在 15 日内完成入户核查。"))
            return redirect("welfare:detail", pk=application.pk)
    return render(request, "welfare/new.html", {"form": form, "household": household})


@login_required
def application_detail(request, pk):
    return _detail(request, application_get(actor=request.user, application_id=pk))


@login_required
def application_pdf_view(request, pk):
    application = application_get(actor=request.user, application_id=pk)
    response = HttpResponse(pdf.application_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{application.reference}.pdf"'
    return response


def _act(request, pk, name, form_class, call, form_kwargs=None):
    """Parse the posted form, call the service, and return to the file (with errors if refused)."""
    application = application_get(actor=request.user, application_id=pk)
    form = form_class(request.POST, **(form_kwargs(application) if form_kwargs else {}))
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            call(application, data, version)
        except ApplicationError as error:
            form_add_error(form, error)
            messages.error(request, str(error.message))
        else:
            return redirect("welfare:detail", pk=pk)
    else:
        messages.error(request, _("未能保存，请查看表单中的提示。"))
    return _detail(request, application, failed=(name, form), status=422)


@login_required
@require_POST
def verify(request, pk):
    return _act(request, pk, "verify", VerifyForm, lambda a, d, v: services.application_verify(
        actor=request.user, application=a, expected_version=v, **d), lambda a: {"staff": _staff(a)})


@login_required
@require_POST
def appraise(request, pk):
    return _act(request, pk, "appraise", AppraiseForm, lambda a, d, v: services.application_appraise(
        actor=request.user, application=a, expected_version=v, **d))


@login_required
@require_POST
def close_notice(request, pk):
    application = application_get(actor=request.user, application_id=pk)
    try:
        services.application_close_notice(actor=request.user, application=application,
                                          expected_version=request.POST.get("version"))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("welfare:detail", pk=pk)


@login_required
@require_POST
def approve(request, pk):
    return _act(request, pk, "approve", ApproveForm, lambda a, d, v: services.application_approve(
        actor=request.user, application=a, expected_version=v, **d))


@login_required
@require_POST
def reject(request, pk):
    return _act(request, pk, "reject", ReasonForm, lambda a, d, v: services.application_reject(
        actor=request.user, application=a, expected_version=v, **d))


@login_required
@require_POST
def withdraw(request, pk):
    return _act(request, pk, "withdraw", ReasonForm, lambda a, d, v: services.application_withdraw(
        actor=request.user, application=a, expected_version=v, **d))


@login_required
@require_POST
def disburse(request, pk):
    return _act(request, pk, "disburse", DisburseForm, lambda a, d, v: services.disbursement_record(
        actor=request.user, application=a, **d))


@login_required
@require_POST
def rereview(request, pk):
    return _act(request, pk, "rereview", ReReviewForm, lambda a, d, v: services.application_rereview(
        actor=request.user, application=a, expected_version=v, **d))


@login_required
@require_POST
def objection_new(request, pk):
    return _act(request, pk, "objection", ObjectionForm, lambda a, d, v: services.objection_file(
        actor=request.user, application=a, **d))


@login_required
@require_POST
def objection_answer_view(request, pk):
    objection = objection_get(actor=request.user, objection_id=pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ValidationError(fields=form.errors)
        services.objection_answer(actor=request.user, objection=objection, answer=form.cleaned_data["answer"],
                                  outcome=form.cleaned_data["outcome"], expected_version=form.cleaned_data["version"])
    except ApplicationError as error:
        messages.error(request, str(error.message) + " " + " ".join(str(m) for ms in error.fields.values() for m in ms))
    return redirect("welfare:detail", pk=objection.application_id)


@login_required
def programmes(request):
    _require(request.user, "welfare.view")
    places = Place.objects.filter(scope_q(request.user, "welfare.approve", field="code"),
                                  kind__in=[PlaceKind.DISTRICT, PlaceKind.STREET, PlaceKind.COMMUNITY])
    form = ProgrammeForm(request.POST or None, places=places, tags=CareTag.objects.filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_create(actor=request.user, rules=form.rules(), **form.terms())
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("救助项目已创建。"))
            return redirect("welfare:programmes")
    return render(request, "welfare/programmes.html", {"programmes": programme_list(actor=request.user),
                                                       "form": form, "can_create": places.exists()})


def _household_matches(households, q: str) -> list:
    """The search the page's hint promises: the head's name, the room, or building and room ("3栋201")."""
    from minqing.residents.selectors import _ADDRESS_LIKE

    condition = Q(head__name__contains=q) | Q(room__contains=q)
    address = _ADDRESS_LIKE.match(q)
    if address:
        condition |= Q(building__name=address.group(1), room__contains=address.group(2).strip())
    return list(households.filter(condition)[:20])


@login_required
def relations(request):
    _require(request.user, "welfare.view")
    # Households are searched only where the actor reviews welfare (issue 13.8): a reviewer's relatives
    # outside that scope cannot touch their reviews, and read-only roles (supervisors, grid workers)
    # see their declarations list but neither search household heads nor declare.
    reviewer_scope = Q(pk__in=[])
    for perm in services.REVIEW_PERMS:
        reviewer_scope |= scope_q(request.user, perm, field="place_code")
    households = Household.objects.filter(reviewer_scope, is_active=True).select_related("building", "head")
    may_declare = any(has_perm_anywhere(request.user, perm) for perm in services.REVIEW_PERMS)
    household = _chosen(request, households)
    form = RelationForm(request.POST or None, households=households, initial={"household": household})
    if request.method == "POST" and not may_declare:
        raise PermissionDenied()
    if household is not None and request.method == "POST" and form.is_valid():
        services.staff_relation_declare(actor=request.user, staff=request.user, **form.cleaned_data)
        messages.success(request, _("已申报。审核该户申请时您将被要求回避。"))
        return redirect("welfare:relations")
    q = request.GET.get("q", "").strip()
    matches = _household_matches(households, q) if q and not household else []
    return render(request, "welfare/relations.html", {"form": form, "household": household, "matches": matches,
                                                      "may_declare": may_declare,
                                                      "relations": staff_relation_list(actor=request.user)})


@login_required
def figures(request):
    _require(request.user, "welfare.view")
    return render(request, "welfare/figures.html", reports.figures_context(request))
