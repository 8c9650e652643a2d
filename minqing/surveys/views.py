"""Staff pages: the survey builder, publish/close, the QR code, results (charts, Excel) and ratings."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.core.userdata import DataText
from minqing.disclosure.charts import bar_chart
from minqing.places.models import Place, PlaceKind

from . import exports, selectors, services
from .forms import QuestionForm, SurveyForm
from .models import SurveyStatus
from .staff import staff_choices


def _require(actor, perm="assessment.view"):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _flash(request, error: ApplicationError) -> None:
    messages.error(request, "；".join([str(error.message), *(str(m) for v in error.fields.values() for m in v)]))


def _public_url(request, survey) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[survey.public_token]))


@login_required
def survey_list(request):
    _require(request.user)
    return render(request, "surveys/list.html", {
        "surveys": selectors.survey_list(actor=request.user)[:100],
        "can_change": has_perm_anywhere(request.user, "assessment.change")})


@login_required
def survey_new(request):
    _require(request.user, "assessment.change")
    places = Place.objects.filter(scope_q(request.user, "assessment.change", field="code"),
                                  kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY])
    form = SurveyForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@login_required
def survey_detail(request, pk):
    survey = selectors.survey_get(actor=request.user, survey_id=pk)
    can_change = can(request.user, "assessment.change", survey.place_code)
    form = QuestionForm(request.POST or None, staff=staff_choices(survey.place_code))
    if request.method == "POST":
        if not can_change:
            raise NotFound()
        if form.is_valid():
            try:
                services.question_add(actor=request.user, survey_id=survey.pk, kind=form.cleaned_data["kind"],
                                      text=form.cleaned_data["text"], choices=form.choice_lines(),
                                      required=form.cleaned_data["required"], staff=form.cleaned_data["staff"])
            except ApplicationError as error:
                form_add_error(form, error)
            else:
                return redirect("surveys:detail", pk=survey.pk)
    answered = survey.responses.exists()
    return render(request, "surveys/detail.html", {
        "survey": survey, "questions": selectors.survey_questions(survey=survey), "form": form,
        "can_change": can_change, "answered": answered, "editable": can_change and not answered
        and survey.status != SurveyStatus.CLOSED, "public_url": _public_url(request, survey)})


@login_required
@require_POST
def question_remove(request, pk, question_id):
    try:
        services.question_remove(actor=request.user, question_id=question_id)
    except ApplicationError as error:
        _flash(request, error)
    return redirect("surveys:detail", pk=pk)


@login_required
@require_POST
def survey_publish(request, pk):
    try:
        services.survey_publish(actor=request.user, survey_id=pk)
    except ApplicationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("问卷已发布，可打印二维码张贴。"))
    return redirect("surveys:detail", pk=pk)


@login_required
@require_POST
def survey_close(request, pk):
    try:
        services.survey_close(actor=request.user, survey_id=pk)
    except ApplicationError as error:
        _flash(request, error)
    return redirect("surveys:detail", pk=pk)


@login_required
def survey_qr(request, pk, kind):
    survey = selectors.survey_get(actor=request.user, survey_id=pk)
    content_type = {"svg": "image/svg+xml", "png": "image/png"}.get(kind)
    if content_type is None:
        raise NotFound()
    response = HttpResponse(exports.qr_code(_public_url(request, survey), kind=kind), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}.{kind}"'
    return response


@login_required
def survey_results(request, pk):
    survey = selectors.survey_get(actor=request.user, survey_id=pk)
    results = selectors.survey_results(survey=survey)
    for item in results:
        if "counts" in item:
            item["chart"] = bar_chart(item["counts"], title=DataText(item["question"].text))  # a survey's own words
    return render(request, "surveys/results.html", {"survey": survey, "results": results,
                                                    "total": results[0]["total"] if results else 0})


@login_required
def survey_export(request, pk):
    survey = selectors.survey_get(actor=request.user, survey_id=pk)
    data = exports.results_workbook(survey=survey, results=selectors.survey_results(survey=survey))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


@login_required
def ratings(request):
    _require(request.user)
    rows = selectors.staff_rating_list(actor=request.user).select_related("appeal")[:200]
    return render(request, "surveys/ratings.html", {"rows": rows})
