"""Staff pages for demands: list, to-do, intake, the demand page and its verb forms, supervision,
the street's overdue list. Public pages (no login) are in public_views.py."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minqing.accounts.policy import has_perm_anywhere
from minqing.core.errors import ApplicationError, Conflict, NotFound
from minqing.core.forms import form_add_error
from minqing.insight.replyquality import score_reasons, score_reply
from minqing.insight.selectors import appeal_handler_suggestions, appeal_similar_list, intake_category_suggestions
from minqing.insight.services import category_suggestion_log_intake
from minqing.places.codes import prefix_at
from minqing.places.models import Place, PlaceKind
from minqing.places.selectors import place_list

from . import forms
from .actions import ACTIONS, action_forms
from .intake import appeal_submit
from .models import AppealPhoto
from .selectors import (
    AppealFilters, appeal_allowed_verbs, appeal_events, appeal_get, appeal_led_open_list, appeal_list,
    appeal_linked, appeal_overdue_list, appeal_recurrence_candidates, appeal_registered_by,
    appeal_supervision_list, appeal_todo_sections,
)
from .supervision import appeal_supervision_answer


def _filters(form) -> AppealFilters:
    data = form.cleaned_data if form.is_valid() else {}
    q = (data.get("q") or "").strip()
    is_code = len(q) == 11 and q[:6].isdigit()
    return AppealFilters(
        status=data.get("status") or None, category_id=data.get("category"), channel=data.get("channel") or None,
        kind=data.get("kind") or None, place_code=data.get("place") or None, overdue=data.get("overdue"),
        submitted_from=data.get("submitted_from"), submitted_to=data.get("submitted_to"),
        receipt_code=q.upper() if is_code else None, text=None if is_code else q or None)


@login_required
def appeal_search(request):
    if not has_perm_anywhere(request.user, "appeal.view"):
        raise NotFound()
    form = forms.FilterForm(request.GET or None)
    appeals = appeal_list(actor=request.user, filters=_filters(form)).as_rows()
    page = Paginator(appeals, 50).get_page(request.GET.get("page"))
    return render(request, "appeals/list.html", {"form": form, "page": page})


# Rows shown per to-do section, most urgent first. A section's tag gives its true size: at city scale a
# worker's sections hold thousands, and fifty rows of each (the old cap) made a 350-row page that cost
# ~60 ms of CPU to render (bench/results/city-2m.md) and that nobody reads past the top of a section.
TODO_SECTION_ROWS = 20


# (selector section, heading, test id, tag class), in the page's order
TODO_SECTIONS = (
    ("new", gettext_lazy("新诉求（待受理）"), "todo-new", "tag"),
    ("to_dispatch", gettext_lazy("待派单（含重办）"), "todo-to-dispatch", "tag"),
    ("returned", gettext_lazy("退回给我的"), "todo-returned", "tag"),
    ("overdue", gettext_lazy("已超期"), "todo-overdue", "tag bad"),
    ("due_soon", gettext_lazy("即将到期"), "todo-due-soon", "tag warn"),
    ("mine", gettext_lazy("派给我的（办理中）"), "todo-mine", "tag"),
    ("follow_up", gettext_lazy("待回访/待办结"), "todo-follow-up", "tag"),
)


@login_required
def appeal_todo(request):
    found = appeal_todo_sections(actor=request.user, limit=TODO_SECTION_ROWS)
    sections = [{"name": name, "title": title, "testid": testid, "tag": tag,
                 "rows": found[name][0], "count": found[name][1]} for name, title, testid, tag in TODO_SECTIONS]
    return render(request, "appeals/todo.html", {"sections": sections, "shown": TODO_SECTION_ROWS,
                                                 "total": sum(s["count"] for s in sections)})


def _resident_from_request(request):
    """The resident picked from the ledger search (?resident=id, or the form's hidden field)."""
    from minqing.residents.selectors import resident_get

    value = request.POST.get("resident") or request.GET.get("resident")
    return resident_get(actor=request.user, resident_id=int(value)) if value and value.isdigit() else None


def _resident_matches(request):
    """The ledger search (name, initials, phone, ID number, address), within the actor's scope."""
    from minqing.residents.selectors import resident_list

    q = request.GET.get("q", "").strip()
    return list(resident_list(actor=request.user, q=q)[:10]) if q else []


@login_required
def appeal_intake(request):
    if not has_perm_anywhere(request.user, "appeal.intake"):
        raise NotFound()
    places = place_list(actor=request.user).filter(kind__in=["community", "grid", "building"])
    resident = _resident_from_request(request)
    initial = {"resident": resident.pk, "reporter_name": resident.name,
               "place": places.filter(code=resident.place_code).first()} if resident else {}
    if request.method == "POST" and ("suggest" in request.POST or "pick" in request.POST):
        return _intake_suggest(request, places, resident)
    form = forms.IntakeForm(request.POST or None, request.FILES or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "resident"}
        try:
            appeal = appeal_submit(actor=request.user, resident=resident, **data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            category_suggestion_log_intake(actor=request.user, appeal=appeal,
                                           suggestions=intake_category_suggestions(text=appeal.text))
            messages.success(request, _("已登记，回执码 %(code)s。") % {"code": appeal.receipt_code})
            return redirect("appeals:detail", appeal.pk)
    return _intake_render(request, form, resident)


def _intake_suggest(request, places, resident):
    """The "suggest category" step without JavaScript: the draft comes back unsaved (photos must be chosen
    again), with the top 3 categories; "pick" also puts the chosen category into the form."""
    draft = request.POST.dict()
    if request.POST.get("pick", "").isdigit():
        draft["category"] = request.POST["pick"]
    form = forms.IntakeForm(places=places, initial=draft)
    return _intake_render(request, form, resident, suggestions=intake_category_suggestions(text=draft.get("text", "")))


def _intake_render(request, form, resident, suggestions=None):
    return render(request, "appeals/intake.html", {
        "form": form, "resident": resident, "q": request.GET.get("q", ""), "suggestions": suggestions,
        "matches": _resident_matches(request), "registered": appeal_registered_by(actor=request.user, limit=10)})


@login_required
def appeal_detail(request, pk, bound=None, status=200, reply_score=None):
    appeal = appeal_get(actor=request.user, appeal_id=pk)
    actions = action_forms(request.user, appeal, bound, prefill={"dispatch": _handler_prefill(request)})
    verbs = {a["verb"] for a in actions}
    linked = appeal_linked(actor=request.user, appeal=appeal)
    return render(request, "appeals/detail.html", {
        "appeal": appeal, "events": appeal_events(appeal=appeal), "photos": appeal.photos.all(),
        # the count is kept with every supervision (supervision.py): most demands have none to read
        "supervisions": appeal.supervisions.select_related("supervisor", "answered_by")
        if appeal.supervision_count else [],
        "actions": actions, "verbs": verbs, "reply_score": reply_score,
        # who reads demands without the ledger (partner units) sees the reporter's name masked, as the API does
        "mask_reporter": not has_perm_anywhere(request.user, "ledger.view"),
        "recurrence_candidates": appeal_recurrence_candidates(actor=request.user, appeal=appeal),
        "merged": linked.merged, "matter_members": linked.matter, "recurrences": linked.recurrences,
        "similar": appeal_similar_list(actor=request.user, appeal=appeal),
        "handler_suggestions": appeal_handler_suggestions(actor=request.user, appeal=appeal)
        if "dispatch" in verbs else [],
    }, status=status)


def _handler_prefill(request) -> dict:
    """?handler_unit=… or ?handler_user=… from a handler suggestion's one-click link."""
    return {field: int(request.GET[field]) for field in ("handler_unit", "handler_user")
            if request.GET.get(field, "").isdigit()}


@login_required
@require_POST
def reply_check(request, pk):
    """Score the draft reply without sending it; the page comes back with the draft and the scores."""
    appeal = appeal_get(actor=request.user, appeal_id=pk)
    if "reply" not in appeal_allowed_verbs(actor=request.user, appeal=appeal):
        raise NotFound()
    form = ACTIONS["reply"].bind(request, appeal, "reply")
    draft = form.data.get("reply-text", "")
    score = score_reply(demand=f"{appeal.title} {appeal.text}", reply=draft, asked_at=appeal.submitted_at,
                        replied_at=timezone.now())
    return appeal_detail(request, pk, bound=("reply", form), reply_score=score_reasons(score, draft))


@login_required
@require_POST
def appeal_act(request, pk, verb):
    """Every verb form posts here: parse the verb's form, call its one service, re-show on error."""
    if verb not in ACTIONS:
        raise NotFound()
    appeal = appeal_get(actor=request.user, appeal_id=pk)
    form = ACTIONS[verb].bind(request, appeal, verb)
    if form.is_valid():
        try:
            ACTIONS[verb].call(request.user, appeal, form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
            return appeal_detail(request, pk, bound=(verb, form), status=409 if isinstance(error, Conflict) else 422)
        messages.success(request, _("已%(verb)s。") % {"verb": ACTIONS[verb].label})
        return redirect("appeals:detail", pk)
    return appeal_detail(request, pk, bound=(verb, form), status=422)


@login_required
@require_POST
def supervision_answer(request, pk):
    form = forms.SupervisionAnswerForm(request.POST)
    if form.is_valid():
        try:
            appeal_supervision_answer(actor=request.user, supervision_id=form.cleaned_data["supervision"],
                                      answer=form.cleaned_data["answer"])
            messages.success(request, _("已反馈。"))
        except ApplicationError as error:
            messages.error(request, str(error.message) if not error.fields else "；".join(
                str(m) for msgs in error.fields.values() for m in msgs))
    return redirect("appeals:detail", pk)


@login_required
def appeal_photo(request, pk, photo_id):
    appeal = appeal_get(actor=request.user, appeal_id=pk)
    photo = get_object_or_404(AppealPhoto, pk=photo_id, appeal=appeal)
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


@login_required
def supervision_board(request):
    if not has_perm_anywhere(request.user, "appeal.view"):
        raise NotFound()
    return render(request, "appeals/supervision.html", {
        "led": appeal_led_open_list(actor=request.user)[:100],
        "open_records": appeal_supervision_list(actor=request.user, answered=False)[:100],
        "answered_records": appeal_supervision_list(actor=request.user, answered=True)[:30],
    })


@login_required
def overdue_board(request):
    if not has_perm_anywhere(request.user, "appeal.view"):
        raise NotFound()
    appeals = list(appeal_overdue_list(actor=request.user)[:500])
    communities = {}
    for appeal in appeals:
        communities.setdefault(prefix_at(appeal.place_code, PlaceKind.COMMUNITY), []).append(appeal)
    # The community's name, not its code, also for a partner unit, whose scope holds no places: the
    # demands are already visible to it, and a community's name is no secret.
    names = dict(Place.objects.filter(code__in=communities).values_list("code", "name"))
    groups = [(names.get(code, code), items) for code, items in sorted(communities.items())]
    return render(request, "appeals/overdue.html", {"groups": groups, "total": len(appeals)})
