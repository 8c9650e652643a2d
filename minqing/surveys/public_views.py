"""Residents' pages, no login: answer a survey by its public link; rate the staff member who handled
a demand from its tracking page. POSTs are rate-limited per client address."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.appeals.selectors import appeal_get_by_token
from minqing.core.errors import ApplicationError
from minqing.volunteers.public_views import rate_limit

from . import selectors, services
from .forms import AppealRatingForm
from .models import QuestionKind, Rating


def survey_answer(request, token):
    survey = selectors.public_survey_get(token=token)
    questions = list(selectors.survey_questions(survey=survey))
    errors, message, status = {}, "", 200
    if request.method == "POST":
        rate_limit(request, "survey-answer")
        try:
            services.survey_answer(survey_id=survey.pk, phone=request.POST.get("phone", ""),
                                   answers=_posted(request.POST, questions))
        except ApplicationError as error:
            errors, message, status = error.fields, str(error.message), 422
        else:
            return redirect("surveys:thanks", token)
    for q in questions:  # what the template shows beside each question after a refused POST
        q.errors = [str(m) for m in errors.get(f"q_{q.pk}", [])]
        q.posted = request.POST.getlist(f"q_{q.pk}") if request.method == "POST" else []
        q.reason = request.POST.get(f"r_{q.pk}", "")
    return render(request, "surveys/answer.html", {
        "survey": survey, "questions": questions, "accepting": services.is_accepting(survey),
        "phone_errors": [str(m) for m in errors.get("phone", [])], "message": message if not errors else "",
        "phone": request.POST.get("phone", ""), "ratings": Rating.choices, "scale": ["1", "2", "3", "4", "5"],
    }, status=status)


def _posted(post, questions) -> dict:
    answers = {}
    for q in questions:
        key = f"q_{q.pk}"
        if q.kind == QuestionKind.MULTIPLE:
            answers[q.pk] = [v for v in post.getlist(key) if v.isdigit()]
        elif q.kind == QuestionKind.STAFF:
            answers[q.pk] = (post.get(key, ""), post.get(f"r_{q.pk}", ""))
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            value = post.get(key, "")
            answers[q.pk] = value if value.isdigit() else ""
        else:
            answers[q.pk] = post.get(key, "")
    return answers


def survey_thanks(request, token):
    survey = selectors.public_survey_get(token=token)
    return render(request, "surveys/thanks.html", {"survey": survey})


@require_POST
def appeal_rate(request, code, token):
    """The small form on a demand's tracking page (appeals/track.html); back to that page after."""
    rate_limit(request, "staff-rating")
    appeal_get_by_token(receipt_code=code, token=token)  # a wrong link is "not found", not a message
    form = AppealRatingForm(request.POST)
    if form.is_valid():
        try:
            services.staff_rate_from_appeal(receipt_code=code, token=token, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, "".join([str(error.message) if not error.fields else "",
                                             *(str(m) for v in error.fields.values() for m in v)]))
        else:
            messages.success(request, _("感谢您的评价。"))
    else:
        messages.error(request, "".join(str(m) for v in form.errors.values() for m in v))
    return redirect("appeals:track", code, token)
