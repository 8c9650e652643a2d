"""Reception day pages: the roster (and scheduling), one reception's record and its requests."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, has_perm_anywhere, holders
from minqing.core.errors import ApplicationError, NotFound
from minqing.core.forms import form_add_error

from . import forms as f, receptions, services
from .selectors import reception_get, reception_list
from .views import _places, _require


def _leaders(actor):
    codes = [p.code for p in _places(actor)[:1]]
    return holders("meeting.change", codes[0]) if codes else holders("meeting.change", "-")


@login_required
def reception_index(request):
    _require(request.user, "meeting.view")
    can_change = has_perm_anywhere(request.user, "meeting.change")
    form = f.ReceptionForm(request.POST or None, places=_places(request.user), leaders=_leaders(request.user))
    if request.method == "POST":
        _require(request.user, "meeting.change")
        if form.is_valid():
            try:
                receptions.reception_schedule(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("接访已排班。"))
                return redirect("meetings:receptions")
    page = Paginator(reception_list(actor=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "meetings/receptions.html", {"page": page, "form": form, "can_change": can_change},
                  status=422 if form.errors else 200)


def _detail(request, reception, *, failed_form=None, status=200):
    return render(request, "meetings/reception.html", {
        "reception": reception, "opinions": reception.opinions.select_related("appeal", "resident"),
        "can_change": can(request.user, "meeting.change", reception.place_code),
        "record_form": failed_form if isinstance(failed_form, f.ReceptionRecordForm) else f.ReceptionRecordForm(
            initial={"version": reception.version}),
        "opinion_form": failed_form if isinstance(failed_form, f.OpinionForm) else f.OpinionForm(),
    }, status=status)


@login_required
def reception_detail(request, pk):
    return _detail(request, reception_get(actor=request.user, reception_id=pk))


@login_required
@require_POST
def reception_act(request, pk, verb):
    reception = reception_get(actor=request.user, reception_id=pk)
    forms = {"record": f.ReceptionRecordForm, "request": f.OpinionForm}
    if verb == "cancel":
        receptions.reception_cancel(actor=request.user, reception=reception,
                                    expected_version=request.POST.get("version") or None)
        return redirect("meetings:receptions")
    if verb not in forms:
        raise NotFound()
    form = forms[verb](request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            if verb == "record":
                receptions.reception_record(actor=request.user, reception=reception, expected_version=data["version"],
                                            visitors_count=data["visitors_count"], summary=data["summary"])
            else:
                services.opinion_add(actor=request.user, reception=reception, speaker=data["speaker"],
                                     text=data["text"], answer=data["answer"] if data["how"] == "answer" else "",
                                     to_demand=data["how"] == "demand")
        except ApplicationError as error:
            if error.status in (403, 404):
                raise
            form_add_error(form, error)
            status = error.status
        else:
            messages.success(request, _("已保存。"))
            return redirect("meetings:reception", pk=reception.pk)
    return _detail(request, reception_get(actor=request.user, reception_id=pk), failed_form=form, status=status)
