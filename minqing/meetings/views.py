"""Meeting pages: the list, calling a meeting, the meeting page (hold, opinions, decisions, minutes,
report back), the notice and minutes PDFs, and the figures. Reception days: views_receptions.py."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.models import PartnerUnit
from minqing.accounts.policy import can, has_perm_anywhere, holders, scope_q
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error
from minqing.places.models import Place, PlaceKind
from minqing.residents.selectors import resident_list

from . import figures, forms as f, pdf, services
from .models import MEETING, MeetingKind, MeetingStatus
from .reportback import report_back
from .selectors import meeting_get, meeting_invitees, meeting_list, meeting_opinions, opinion_get, series_list


def _require(actor, perm):
    if not has_perm_anywhere(actor, perm):
        raise NotFound()


def _places(actor):
    return Place.objects.filter(scope_q(actor, "meeting.change", field="code"),
                                kind__in=[PlaceKind.STREET, PlaceKind.COMMUNITY], is_active=True)


@login_required
def meeting_index(request):
    _require(request.user, "meeting.view")
    meetings = meeting_list(actor=request.user, kind=request.GET.get("kind", ""), status=request.GET.get("status", ""))
    return render(request, "meetings/list.html", {
        "page": Paginator(meetings, 30).get_page(request.GET.get("page")), "kinds": MeetingKind.choices,
        "statuses": MeetingStatus.choices, "can_change": has_perm_anywhere(request.user, "meeting.change")})


@login_required
def series_new(request):
    _require(request.user, "meeting.change")
    form = f.SeriesForm(request.POST or None, places=_places(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("会议系列已建立。"))
            return redirect(f"{_url('meetings:new')}?series={series.pk}")
    return render(request, "meetings/series_form.html", {"form": form})


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def meeting_new(request):
    _require(request.user, "meeting.change")
    series = series_list(actor=request.user, perm="meeting.change")
    codes = [s.place_code for s in series] or ["-"]
    form = f.MeetingForm(request.POST or None, series=series, partner_units=PartnerUnit.objects.filter(is_active=True),
                         staff=holders("meeting.view", codes[0]), initial={"series": request.GET.get("series")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_call(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("会议已召集。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "has_series": series.exists()})


def _detail(request, meeting, *, failed: str = "", failed_form=None, status: int = 200):
    invitees = list(meeting_invitees(meeting=meeting))
    residents = [i.resident for i in invitees if i.resident_id]
    initial = {"version": meeting.version, "minutes": meeting.minutes,
               "attended": [i.pk for i in invitees if i.attended]}
    built = {
        "hold": f.HoldForm(initial=initial, invitees=invitees), "minutes": f.MinutesForm(initial=initial),
        "decision": f.DecisionForm(), "cancel": f.CancelForm(initial=initial),
        "opinion": f.OpinionForm(residents=residents), "version": f.VersionForm(initial=initial),
    }
    if failed:
        built[failed] = failed_form
    q = request.GET.get("q", "").strip()
    can_change = can(request.user, "meeting.change", meeting.place_code)
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "invitees": invitees, "forms": built, "can_change": can_change,
        "opinions": meeting_opinions(meeting=meeting), "decisions": meeting.decisions.all(),
        "report": report_back(meeting), "verbs": MEETING.verbs_from(meeting.status), "q": q,
        "matches": resident_list(actor=request.user, q=q, place_code=meeting.place_code)[:20]
        if q and can_change and meeting.status == MeetingStatus.PLANNED else [],
        "can_publish": can(request.user, "disclosure.publish", meeting.place_code),
    }, status=status)


@login_required
def meeting_detail(request, pk):
    return _detail(request, meeting_get(actor=request.user, meeting_id=pk))


def _decision(actor, meeting, data):
    return services.decision_add(actor=actor, meeting=meeting, **data)


def _opinion(actor, meeting, data):
    how, resident_id = data.pop("how"), data.pop("resident", None)
    resident = next((i.resident for i in meeting_invitees(meeting=meeting) if i.resident_id == resident_id), None)
    return services.opinion_add(actor=actor, meeting=meeting, resident=resident, speaker=data["speaker"],
                                text=data["text"], answer=data["answer"] if how == "answer" else "",
                                to_demand=how == "demand")


ACTIONS = {
    "hold": (f.HoldForm, lambda actor, meeting, data: services.meeting_hold(actor=actor, meeting=meeting, **data),
             _("已登记会议召开。")),
    "minutes": (f.MinutesForm, lambda actor, meeting, data: services.meeting_minutes_save(
        actor=actor, meeting=meeting, **data), _("纪要已保存。")),
    "decision": (f.DecisionForm, _decision, _("决定已记录。")),
    "opinion": (f.OpinionForm, _opinion, _("意见已记录。")),
    "approve": (f.VersionForm, lambda actor, meeting, data: services.meeting_approve(
        actor=actor, meeting=meeting, **data), _("纪要已审定。")),
    "close": (f.VersionForm, lambda actor, meeting, data: services.meeting_close(actor=actor, meeting=meeting, **data),
              _("会议已结束。")),
    "cancel": (f.CancelForm, lambda actor, meeting, data: services.meeting_cancel(
        actor=actor, meeting=meeting, **data), _("会议已取消。")),
}


@login_required
@require_POST
def meeting_act(request, pk, verb):
    meeting = meeting_get(actor=request.user, meeting_id=pk)
    if verb not in ACTIONS:
        raise NotFound()
    form_class, service, done = ACTIONS[verb]
    kwargs = {"invitees": list(meeting_invitees(meeting=meeting))} if verb == "hold" else {}
    if verb == "opinion":
        kwargs = {"residents": [i.resident for i in meeting_invitees(meeting=meeting) if i.resident_id]}
    form = form_class(request.POST, **kwargs)
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)
        if "version" in data:
            data["expected_version"] = data.pop("version")
        try:
            service(request.user, meeting, data)
        except ApplicationError as error:
            if error.status in (403, 404):
                raise
            form_add_error(form, error)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail(request, meeting_get(actor=request.user, meeting_id=pk), failed=verb if verb in (
        "hold", "minutes", "decision", "cancel", "opinion") else "version", failed_form=form, status=status)


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = meeting_get(actor=request.user, meeting_id=pk)
    ids = [int(i) for i in request.POST.getlist("resident") if i.isdigit()]
    residents = list(resident_list(actor=request.user, place_code=meeting.place_code).filter(pk__in=ids))
    try:
        n = services.meeting_invite(actor=request.user, meeting=meeting, residents=residents)
    except ApplicationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("已邀请 %(n)d 位居民。") % {"n": n})
    return redirect("meetings:detail", pk=meeting.pk)


def _message(error: ApplicationError) -> str:
    return " ".join(str(m) for ms in error.fields.values() for m in ms) or str(error.message)


@login_required
@require_POST
def meeting_publish(request, pk):
    meeting = meeting_get(actor=request.user, meeting_id=pk)
    try:
        services.meeting_publish_notice(actor=request.user, meeting=meeting)
    except ApplicationError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, _message(error))
    else:
        messages.success(request, _("会议通知已在居务公开栏发布。"))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def opinion_act(request, pk, verb):
    opinion = opinion_get(actor=request.user, opinion_id=pk)
    back = redirect("meetings:detail", pk=opinion.meeting_id) if opinion.meeting_id else \
        redirect("meetings:reception", pk=opinion.reception_id)
    version = request.POST.get("version") or None
    try:
        if verb == "answer":
            services.opinion_answer(actor=request.user, opinion=opinion, answer=request.POST.get("answer", ""),
                                    expected_version=version)
        elif verb == "demand":
            opinion = services.opinion_to_demand(actor=request.user, opinion=opinion, expected_version=version)
            messages.success(request, _("已转为诉求 %(c)s。") % {"c": opinion.appeal.receipt_code})
        else:
            raise NotFound()
    except ApplicationError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, _message(error))
    return back


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def meeting_notice_pdf(request, pk):
    meeting = meeting_get(actor=request.user, meeting_id=pk)
    return _pdf(pdf.notice_pdf(meeting, invitees=list(meeting_invitees(meeting=meeting))), f"meeting-notice-{pk}.pdf")


@login_required
def meeting_minutes_pdf(request, pk):
    meeting = meeting_get(actor=request.user, meeting_id=pk)
    return _pdf(pdf.minutes_pdf(meeting, invitees=list(meeting_invitees(meeting=meeting)),
                                opinions=list(meeting_opinions(meeting=meeting)), report=report_back(meeting)),
                f"meeting-minutes-{pk}.pdf")


@login_required
def figures_view(request):
    _require(request.user, "meeting.view")
    today = timezone.localdate()
    form = f.PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    start, end = data.get("start") or today.replace(month=1, day=1), data.get("end") or today
    return render(request, "meetings/figures.html", {
        "form": form, "start": start, "end": end,
        "figures": figures.meeting_figures(actor=request.user, start=start, end=end)})
