"""Training pages: sessions, attendance, materials, quizzes (taken on a phone), scores and who is missing;
the policy answer base; the suggestion endpoints used on a demand's page; accuracy in use."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.models import Place

from . import answers as answer_services
from . import services
from .forms import AnswerForm, AttendanceForm, MaterialForm, QuizForm, SessionForm, manageable_kinds
from .models import Material, PolicyTopic
from .selectors import (my_quizzes, policy_answer_get, policy_answer_list, policy_suggestion_stats,
                        policy_suggestions_for_appeal, quiz_get, quiz_list, quiz_missing, quiz_scores,
                        training_session_get, training_session_list)

MAX_DRAFT = 2000
ANSWERS_PER_PAGE = 50


def _need(actor, perm: str) -> None:
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _places(actor):
    return Place.objects.filter(scope_q(actor, "training.change", "code"), kind__in=manageable_kinds(), is_active=True)


@login_required
def session_list(request):
    _need(request.user, "training.view")
    return render(request, "training/session_list.html", {
        "sessions": training_session_list(actor=request.user)[:100],
        "quizzes": quiz_list(actor=request.user)[:100],
        "mine": my_quizzes(actor=request.user) if has_perm_anywhere(request.user, "training.take") else [],
        "can_change": has_perm_anywhere(request.user, "training.change")})


@login_required
def session_new(request):
    _need(request.user, "training.change")
    form = SessionForm(request.POST or None, places=_places(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.training_session_create(actor=request.user, data=services.SessionInput(
                **{k: form.cleaned_data[k] for k in ("place", "topic", "starts_at", "ends_at", "venue", "description")},
                audience_roles=tuple(form.cleaned_data["audience_roles"])))
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("training:session_detail", session.pk)
    return render(request, "training/form.html", {"form": form, "title": _title("session")}, status=422 if form.errors else 200)


def _title(what: str) -> str:
    return {"session": _("新建培训"), "quiz": _("新建测验"), "answer": _("新增政策问答"), "edit": _("修改政策问答")}[what]


def _people(session):
    """Who the session is for: holders of its audience roles at or under its place."""
    from minqing.accounts.models import RoleAssignment

    grants = RoleAssignment.objects.filter(is_active=True, role__in=session.audience_roles,
                                           place__code__startswith=session.place.code)
    return get_user_model().objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("username")


@login_required
def session_detail(request, pk):
    session = training_session_get(actor=request.user, session_id=pk)
    can_change = can(request.user, "training.change", session.place.code)
    attendance = AttendanceForm(request.POST or None, people=_people(session), prefix="att")
    material = MaterialForm(prefix="mat")
    if request.method == "POST":
        if attendance.is_valid():
            try:
                services.training_attendance_record(actor=request.user, session=session,
                                                    users=list(attendance.cleaned_data["users"]))
            except ApplicationError as error:
                form_add_error(attendance, error)
            else:
                return redirect("training:session_detail", pk)
    return _session_page(request, session, can_change, attendance, material)


def _session_page(request, session, can_change, attendance, material, status=200):
    present = session.attendances.filter(present=True).select_related("user")
    attendance.fields["users"].initial = [a.user_id for a in present]
    return render(request, "training/session_detail.html", {
        "session": session, "can_change": can_change, "attendance_form": attendance, "material_form": material,
        "present": present, "materials": session.materials.all(), "quizzes": session.quizzes.all()}, status=status)


@login_required
@require_POST
def material_upload(request, pk):
    session = training_session_get(actor=request.user, session_id=pk)
    form = MaterialForm(request.POST, request.FILES, prefix="mat")
    if form.is_valid():
        try:
            services.training_material_upload(actor=request.user, session=session, title=form.cleaned_data["title"],
                                               upload=form.cleaned_data["file"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("training:session_detail", pk)
    attendance = AttendanceForm(people=_people(session), prefix="att")
    return _session_page(request, session, can(request.user, "training.change", session.place.code), attendance,
                         form, status=422)


@login_required
def material_download(request, pk, material_id):
    session = training_session_get(actor=request.user, session_id=pk)
    material = Material.objects.filter(session=session, pk=material_id).first()
    if material is None:
        raise NotFound()
    content_type = {"pdf": "application/pdf"}.get(material.kind, "application/octet-stream")
    return FileResponse(material.file.open("rb"), content_type=content_type, as_attachment=True,
                        filename=f"{material.title}.{material.kind}")


@login_required
def quiz_new(request):
    _need(request.user, "training.change")
    form = QuizForm(request.POST or None, places=_places(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.quiz_create(actor=request.user, place=form.cleaned_data["place"],
                                        title=form.cleaned_data["title"], pass_mark=form.cleaned_data["pass_mark"],
                                        required_roles=tuple(form.cleaned_data["required_roles"]),
                                        questions=form.parsed_questions())
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("training:quiz_results", quiz.pk)
    return render(request, "training/form.html", {"form": form, "title": _title("quiz")}, status=422 if form.errors else 200)


@login_required
def quiz_take(request, pk):
    quiz = quiz_get(actor=request.user, quiz_id=pk)
    result, error = None, None
    if request.method == "POST":
        answers = {q.pk: {int(v) for v in request.POST.getlist(f"q{q.pk}") if v.isdigit()} for q in quiz.questions.all()}
        try:
            result = services.quiz_attempt_submit(actor=request.user, quiz=quiz, answers=answers)
        except ApplicationError as exc:
            error = exc
    return render(request, "training/quiz_take.html", {"quiz": quiz, "result": result, "error": error},
                  status=error.status if error else 200)


@login_required
def quiz_results(request, pk):
    quiz = quiz_get(actor=request.user, quiz_id=pk)
    return render(request, "training/quiz_results.html", {
        "quiz": quiz, "scores": quiz_scores(actor=request.user, quiz=quiz),
        "missing": quiz_missing(actor=request.user, quiz=quiz)})


@login_required
def answer_list(request):
    _need(request.user, "training.view")
    query, topic = request.GET.get("q", "")[:100], request.GET.get("topic", "")
    state = request.GET.get("state", "current")
    expired = {"current": False, "expired": True}.get(state)
    rows = policy_answer_list(actor=request.user, query=query, topic=topic if topic in PolicyTopic.values else "",
                              expired=expired)
    # 50 answers a page, each a question with its full answer, sources and places: the former single page of up
    # to 200 cost ~70 ms of CPU at city scale (issue 19); a search ranks its best 50 anyway
    page = Paginator(rows, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "training/answer_list.html", {
        "answers": page.object_list, "page": page, "query": query, "topic": topic, "state": state,
        "topics": PolicyTopic.choices, "can_change": has_perm_anywhere(request.user, "training.change")})


def _answer_input(data) -> answer_services.AnswerInput:
    return answer_services.AnswerInput(
        **{k: data[k] for k in ("question", "answer", "source", "issuing_body", "effective_on", "expires_on",
                                "topic", "is_public")}, applies_to=tuple(data["applies_to"]))


@login_required
def answer_new(request):
    _need(request.user, "training.change")
    form = AnswerForm(request.POST or None, places=_places(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            answer_services.policy_answer_create(actor=request.user, place=form.cleaned_data["place"],
                                                 data=_answer_input(form.cleaned_data))
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("training:answer_list")
    return render(request, "training/form.html", {"form": form, "title": _title("answer")}, status=422 if form.errors else 200)


@login_required
def answer_edit(request, pk):
    answer = policy_answer_get(actor=request.user, answer_id=pk)
    if not can(request.user, "training.change", answer.place.code):
        raise NotFound()
    initial = {f: getattr(answer, f) for f in ("place", "topic", "question", "answer", "source", "issuing_body",
                                                "effective_on", "expires_on", "is_public", "version")}
    initial["applies_to"] = list(answer.applies_to.all())
    form = AnswerForm(request.POST or None, initial=initial, places=_places(request.user))
    form.fields["place"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            answer_services.policy_answer_update(actor=request.user, answer_id=pk, data=_answer_input(form.cleaned_data),
                                                 expected_version=form.cleaned_data.get("version"))
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("training:answer_list")
    return render(request, "training/form.html", {"form": form, "title": _title("edit"), "answer": answer},
                  status=422 if form.errors else 200)


# --- on a demand's page ---------------------------------------------------------------------------------

def _appeal_for_reply(request, appeal_id):
    from minqing.appeals.selectors import appeal_get

    return appeal_get(actor=request.user, appeal_id=appeal_id)


@login_required
@require_POST
def suggest(request, appeal_id):
    """POST (CSRF-checked): the draft may name people, and query strings end up in access logs."""
    appeal = _appeal_for_reply(request, appeal_id)
    found = policy_suggestions_for_appeal(actor=request.user, appeal=appeal, draft=request.POST.get("draft", "")[:MAX_DRAFT])
    answer_services.policy_suggestion_shown(actor=request.user, appeal=appeal, answer_ids=[a.pk for a, _s in found])
    return JsonResponse({"suggestions": [
        {"id": a.pk, "question": a.question, "answer": a.answer, "source": a.source, "issuing_body": a.issuing_body,
         "effective_on": a.effective_on.isoformat(), "expires_on": a.expires_on.isoformat() if a.expires_on else None,
         "score": score} for a, score in found]}, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def suggestion_use(request, appeal_id):
    appeal = _appeal_for_reply(request, appeal_id)
    answer_id = request.POST.get("answer", "")
    if not answer_id.isdigit():
        raise NotFound()
    log = answer_services.policy_suggestion_used(actor=request.user, appeal=appeal, answer_id=int(answer_id))
    return JsonResponse({"used": log.used})


@login_required
def accuracy(request):
    _need(request.user, "training.view")
    return render(request, "training/accuracy.html", {"stats": policy_suggestion_stats(actor=request.user)})
