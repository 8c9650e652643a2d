"""Stability risk assessment pages: list, open, consult, risk points, conclude, sign, print."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, ensure_holds_somewhere, has_perm_anywhere
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error
from minqing.core.selectors import audit_list_for_object
from minqing.places.models import PlaceKind

from .. import forms as f
from ..documents import assessment_pdf
from ..selectors import assessment_get, assessment_list, places_in_scope
from ..services import assessment as services


@login_required
def assessment_index(request):
    if not has_perm_anywhere(request.user, "dispute.view"):
        raise NotFound()
    return render(request, "disputes/assessment_list.html", {
        "assessments": assessment_list(actor=request.user)[:100],
        "can_open": has_perm_anywhere(request.user, "dispute.change")})


@login_required
def assessment_open(request):
    ensure_holds_somewhere(request.user, "dispute.change")
    places = places_in_scope(actor=request.user, perm="dispute.change",
                             kinds=(PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID))
    form = f.AssessmentOpenForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_open(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("disputes:assessment_detail", pk=assessment.pk)
    return render(request, "disputes/assessment_form.html", {"form": form})


def _detail(request, assessment, *, failed: str = "", failed_form=None, status: int = 200):
    initial = {"version": assessment.version, "overall_level": assessment.overall_level or assessment.suggested_level,
               "measures": assessment.measures, "conclusion": assessment.conclusion,
               "conclusion_reason": assessment.conclusion_reason}
    built = {verb: failed_form if verb == failed else form_class(initial=initial, **_form_kwargs(request, assessment, verb))
             for verb, (form_class, _s, _d) in ACTIONS.items()}
    return render(request, "disputes/assessment_detail.html", {
        "assessment": assessment, "forms": built,
        "failed_form": failed_form,
        "can_change": can(request.user, "dispute.change", assessment.place.code) and not assessment.is_signed,
        "can_sign": can(request.user, "dispute.sign", assessment.place.code) and not assessment.is_signed,
        "audit_entries": audit_list_for_object(actor=request.user, obj=assessment),
    }, status=status)


def _form_kwargs(request, assessment, verb: str) -> dict:
    """The consultation form offers the meetings held around the assessment's place."""
    if verb != "consult":
        return {}
    from minqing.meetings.selectors import meetings_for_consultation

    return {"meetings": meetings_for_consultation(actor=request.user, place_code=assessment.place.code)}


@login_required
def assessment_detail(request, pk):
    return _detail(request, assessment_get(actor=request.user, assessment_id=pk))


ACTIONS = {
    "consult": (f.ConsultationForm, services.consultation_add, gettext_lazy("征求意见情况已记录。")),
    "risk_point": (f.RiskPointForm, services.risk_point_add, gettext_lazy("风险点已添加。")),
    "conclude": (f.ConcludeForm, services.assessment_conclude, gettext_lazy("评估结论已保存。")),
    "sign": (f.VersionForm, services.assessment_sign, gettext_lazy("稳评报告已签发。")),
}


@login_required
@require_POST
def assessment_act(request, pk, verb):
    assessment = assessment_get(actor=request.user, assessment_id=pk)
    if verb not in ACTIONS:
        raise NotFound()
    form_class, service, done = ACTIONS[verb]
    form = form_class(request.POST, **_form_kwargs(request, assessment, verb))
    status = 422
    if form.is_valid():
        kwargs = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if "version" in form.cleaned_data:
            kwargs["expected_version"] = form.cleaned_data["version"]
        try:
            service(actor=request.user, assessment_id=assessment.pk, **kwargs)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as error:
            form_add_error(form, error)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("disputes:assessment_detail", pk=assessment.pk)
    return _detail(request, assessment, failed=verb, failed_form=form, status=status)


@login_required
def assessment_print(request, pk):
    assessment = assessment_get(actor=request.user, assessment_id=pk)
    response = HttpResponse(assessment_pdf(assessment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stability-assessment-{assessment.pk}.pdf"'
    return response
