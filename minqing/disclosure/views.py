"""The board's pages: staff manage notices (login), everyone reads the board (no login)."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minqing.accounts.policy import can, ensure_can, ensure_holds_somewhere, has_perm_anywhere, scope_q
from minqing.core.errors import ApplicationError, NotFound, RateLimited
from minqing.core.forms import form_add_error
from minqing.core.selectors import audit_list_for_object
from minqing.places.models import Place, PlaceKind

from . import pdf, services
from .charts import column_chart
from .figures import month_figures, months_figures, recent_months
from .forms import NoticeForm, ObjectionForm, WithdrawForm
from .models import NoticeKind
from .objections import objection_file
from .selectors import (notice_get, notice_list, public_community_get, public_community_list,
                        public_notice_get, public_notice_list, public_notice_revisions)

OBJECTIONS_PER_HOUR = 5


def _publishable_communities(actor):
    return Place.objects.filter(scope_q(actor, "disclosure.publish", field="code"), kind=PlaceKind.COMMUNITY)


@login_required
def manage_list(request):
    if not has_perm_anywhere(request.user, "disclosure.view"):
        raise NotFound()
    notices = notice_list(actor=request.user, status=request.GET.get("status") or None)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/manage_list.html", {
        "page": page, "can_publish": has_perm_anywhere(request.user, "disclosure.publish")})


@login_required
def notice_new(request):
    ensure_holds_somewhere(request.user, "disclosure.publish")
    form = NoticeForm(request.POST or None, communities=_publishable_communities(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(actor=request.user, **{
                k: form.cleaned_data[k] for k in ("community", "kind", "title", "body", "display_until")})
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("disclosure:detail", pk=notice.pk)
    return render(request, "disclosure/notice_form.html", {"form": form})


@login_required
def notice_detail(request, pk):
    notice = notice_get(actor=request.user, pk=pk)
    return render(request, "disclosure/notice_detail.html", {
        "notice": notice, "revisions": public_notice_revisions(notice=notice),
        "can_publish": can(request.user, "disclosure.publish", notice.community.code),
        "withdraw_form": WithdrawForm(initial={"version": notice.version}),
        "audit_entries": audit_list_for_object(actor=request.user, obj=notice)})


@login_required
def notice_edit(request, pk):
    notice = notice_get(actor=request.user, pk=pk)
    ensure_can(request.user, "disclosure.publish", notice.community.code)
    initial = {"title": notice.title, "body": notice.body, "display_until": notice.display_until,
               "version": notice.version}
    form = NoticeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(actor=request.user, notice=notice, expected_version=form.cleaned_data["version"],
                                   **{k: form.cleaned_data[k] for k in ("title", "body", "display_until", "reason")})
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect("disclosure:detail", pk=notice.pk)
    return render(request, "disclosure/notice_form.html", {"form": form, "notice": notice})


@login_required
@require_POST
def notice_publish_view(request, pk):
    notice = notice_get(actor=request.user, pk=pk)
    services.notice_publish(actor=request.user, notice=notice, expected_version=request.POST.get("version"))
    messages.success(request, _("已发布到居务公开栏。"))
    return redirect("disclosure:detail", pk=notice.pk)


@login_required
@require_POST
def notice_withdraw_view(request, pk):
    notice = notice_get(actor=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.notice_withdraw(actor=request.user, notice=notice, reason=form.cleaned_data["reason"],
                                 expected_version=form.cleaned_data["version"])
        messages.success(request, _("已撤回；撤回原因在公开栏显示。"))
    else:
        messages.error(request, _("请填写撤回原因。"))
    return redirect("disclosure:detail", pk=notice.pk)


# --- public, no login ---------------------------------------------------------------------------

def public_index(request):
    return render(request, "disclosure/public_index.html", {"communities": public_community_list()})


def public_board(request, code):
    community = public_community_get(code=code)
    kind = request.GET.get("kind") if request.GET.get("kind") in NoticeKind.values else None
    notices = public_notice_list(community=community, kind=kind)
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    today = timezone.localdate()
    latest = month_figures(community_code=community.code, year=today.year, month=today.month)
    return render(request, "disclosure/board.html", {
        "community": community, "page": page, "kinds": NoticeKind.choices, "kind": kind, "latest": latest})


def public_figures(request, code):
    community = public_community_get(code=code)
    months = months_figures(community_code=community.code, months=recent_months(timezone.localdate(), 12))
    chart = column_chart([(_("%(m)d月") % {"m": f.month}, f.received or 0) for f in months], title=_("每月诉求数"))
    return render(request, "disclosure/figures.html", {"community": community, "months": months, "chart": chart})


def public_notice(request, pk, objection_form=None):
    notice = public_notice_get(pk=pk)
    return render(request, "disclosure/public_notice.html", {
        "notice": notice, "community": notice.community, "revisions": public_notice_revisions(notice=notice),
        "objection_open": _objection_open(notice), "objection_form": objection_form or ObjectionForm()})


def public_notice_pdf(request, pk):
    notice = public_notice_get(pk=pk)
    response = HttpResponse(pdf.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@require_POST
def public_objection(request, pk):
    notice = public_notice_get(pk=pk)
    form = ObjectionForm(request.POST)
    if not _objection_open(notice):
        raise NotFound()
    if form.is_valid() and not form.cleaned_data["website"]:
        try:
            _throttle(request)
            objection = objection_file(notice=notice, text=form.cleaned_data["text"],
                                       name=form.cleaned_data["name"], phone=form.cleaned_data["phone"])
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return render(request, "disclosure/objection_received.html",
                          {"notice": notice, "community": notice.community, "objection": objection})
    return public_notice(request, pk, objection_form=form)


def _objection_open(notice) -> bool:
    if not (notice.accepts_objections and notice.is_published):
        return False
    return notice.display_until is None or timezone.localdate() <= notice.display_until


def _throttle(request) -> None:
    key = f"disclosure:objection:{request.META.get('REMOTE_ADDR', '')}:{datetime.datetime.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, 3600)
    if count >= OBJECTIONS_PER_HOUR:
        raise RateLimited()
    cache.incr(key)
