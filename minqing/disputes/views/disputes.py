"""Dispute pages: list, report, detail with every action the state allows, the agreement PDF."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, ensure_holds_somewhere, has_perm_anywhere
from minqing.appeals.selectors import appeal_get
from minqing.core.errors import ApplicationError, NotFound, PermissionDenied
from minqing.core.forms import form_add_error
from minqing.core.selectors import audit_list_for_object
from minqing.places.models import PlaceKind
from minqing.residents.selectors import resident_get, resident_list

from .. import forms as f
from ..documents import agreement_pdf
from ..models import Verb
from ..selectors import agreement_latest, dispute_get, dispute_list, mediation_committee_name, places_in_scope
from ..services import agreements, disputes, mediation


def _report_places(actor):
    return places_in_scope(actor=actor, perm="dispute.change",
                           kinds=(PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.BUILDING))


@login_required
def dispute_index(request):
    if not has_perm_anywhere(request.user, "dispute.view"):
        raise NotFound()
    places = places_in_scope(actor=request.user, perm="dispute.view",
                             kinds=(PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID))
    form = f.DisputeFilterForm(request.GET or None, places=places)
    data = form.cleaned_data if form.is_valid() else {}
    items = dispute_list(actor=request.user, place_code=data.get("place") or None,
                         status=data.get("status") or None, kind=data.get("kind") or None,
                         risk_level=data.get("risk_level") or None, overdue=bool(data.get("overdue")),
                         query=data.get("q") or "")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    can_report = has_perm_anywhere(request.user, "dispute.change")
    return render(request, "disputes/list.html", {"form": form, "page": page, "can_report": can_report})


def _initial_from_appeal(actor, appeal_id: str | None) -> dict:
    """Taking a demand over as a dispute: its place, title and text start the form."""
    if not (appeal_id or "").isdigit():
        return {}
    appeal = appeal_get(actor=actor, appeal_id=int(appeal_id))
    return {"source_appeal_id": appeal.pk, "place": appeal.place_id, "title": appeal.title[:120],
            "description": appeal.text, "location": appeal.location}


@login_required
def dispute_report(request):
    ensure_holds_somewhere(request.user, "dispute.change")
    initial = _initial_from_appeal(request.user, request.GET.get("appeal"))
    form = f.DisputeReportForm(request.POST or None, places=_report_places(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = disputes.dispute_report(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("纠纷已登记，请补充当事人。"))
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/report.html", {"form": form})


def _action_forms(dispute, failed: str = "", failed_form=None) -> dict:
    initial = {"version": dispute.version, "people_involved": dispute.people_involved,
               "risk_level": dispute.risk_level, "risk_reasons": dispute.risk_reasons,
               "escalation_signs": dispute.escalation_signs, "committee": mediation_committee_name(place=dispute.place)}
    built = {}
    for verb, (form_class, _service, _done) in ACTIONS.items():
        form = failed_form if verb == failed else form_class(initial=initial)
        if hasattr(form, "limit_staff") and verb != failed:
            form.limit_staff(dispute.place.code)
        built[verb] = form
    return built


def _detail(request, dispute, *, failed: str = "", failed_form=None, status: int = 200):
    resident_q = request.GET.get("resident_q", "").strip()
    return render(request, "disputes/detail.html", {
        "dispute": dispute, "forms": _action_forms(dispute, failed=failed, failed_form=failed_form),
        "can_change": can(request.user, "dispute.change", dispute.place.code),
        "alerts": dispute.alerts.all() if can(request.user, "alert.view", dispute.place.code) else (),
        "allowed": {verb.value: dispute.can(verb) for verb in Verb},
        "agreement": dispute.agreements.all()[0] if dispute.agreements.all() else None,
        "resident_q": resident_q,
        "failed_form": failed_form,
        "resident_hits": resident_list(actor=request.user, q=resident_q)[:10] if resident_q else [],
        "audit_entries": audit_list_for_object(actor=request.user, obj=dispute),
    }, status=status)


@login_required
def dispute_detail(request, pk):
    return _detail(request, dispute_get(actor=request.user, dispute_id=pk))


def _ledger_party_add(*, actor, dispute_id, resident_id, side):
    resident = resident_get(actor=actor, resident_id=resident_id)
    return disputes.dispute_party_add(actor=actor, dispute_id=dispute_id, side=side, resident=resident)


ACTIONS = {
    "party": (f.PartyForm, disputes.dispute_party_add, gettext_lazy("当事人已添加。")),
    "ledger_party": (f.LedgerPartyForm, _ledger_party_add, gettext_lazy("已从台账添加当事人。")),
    "risk": (f.RiskForm, disputes.dispute_assess_risk, gettext_lazy("风险等级已更新。")),
    "accept": (f.AcceptForm, disputes.dispute_accept, gettext_lazy("已受理，三定四包已落实到人。")),
    "reject": (f.ReasonForm, disputes.dispute_reject, gettext_lazy("已决定不予受理。")),
    "session": (f.SessionForm, mediation.mediation_session_record, gettext_lazy("调解记录已保存。")),
    "recuse": (f.RecuseForm, mediation.mediator_recuse, gettext_lazy("调解员已回避。")),
    "agree": (f.AgreementForm, agreements.agreement_make, gettext_lazy("调解协议已生成，可打印签字。")),
    "fail": (f.ReasonForm, mediation.dispute_fail, gettext_lazy("已记录调解不成。")),
    "refer": (f.ReferForm, mediation.dispute_refer, gettext_lazy("已移交。")),
    "follow_up": (f.FollowUpForm, agreements.agreement_follow_up, gettext_lazy("回访已记录。")),
    "close": (f.NoteForm, disputes.dispute_close, gettext_lazy("已结案。")),
}


def _service_kwargs(form) -> dict:
    if hasattr(form, "service_kwargs"):
        kwargs = form.service_kwargs()
    else:
        kwargs = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    if "version" in form.cleaned_data:
        kwargs["expected_version"] = form.cleaned_data["version"]
    return kwargs


@login_required
@require_POST
def dispute_act(request, pk, verb):
    dispute = dispute_get(actor=request.user, dispute_id=pk)
    if verb not in ACTIONS:
        raise NotFound()
    form_class, service, done = ACTIONS[verb]
    form = form_class(request.POST)
    status = 422
    if hasattr(form, "limit_staff"):
        form.limit_staff(dispute.place.code)
    if form.is_valid():
        try:
            service(actor=request.user, dispute_id=dispute.pk, **_service_kwargs(form))
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as error:
            form_add_error(form, error)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("disputes:detail", pk=dispute.pk)
    return _detail(request, dispute, failed=verb, failed_form=form, status=status)


@login_required
@require_POST
def responsibility_act(request, pk, duty_pk):
    dispute = dispute_get(actor=request.user, dispute_id=pk)
    form = f.ResponsibilityForm(request.POST)
    duty = next((d for d in dispute.responsibilities.all() if d.pk == duty_pk), None)
    if duty is None:
        raise NotFound()
    if form.is_valid():
        try:
            disputes.responsibility_update(actor=request.user, responsibility_id=duty.pk,
                                           state=form.cleaned_data["state"], note=form.cleaned_data["note"],
                                           expected_version=form.cleaned_data["version"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%(d)s”进展已更新。") % {"d": duty.get_kind_display()})
    return redirect("disputes:detail", pk=dispute.pk)


@login_required
def agreement_print(request, pk):
    agreement = agreement_latest(actor=request.user, dispute_id=pk)
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.dispute.number}.pdf"'
    return response
