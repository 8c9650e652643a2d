"""The dashboard, the drill-down to the demands behind a number, and the monthly report."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from minqing.accounts.policy import has_perm_anywhere, partner_unit_ids
from minqing.core.dbrouters import reads_from_replica
from minqing.core.errors import NotFound, ValidationError

from .board import dashboard_board, place_options
from .forms import DrillForm, PeriodPlaceForm
from .metrics import DRILL_LABELS
from .periods import period_parse
from .report import (
    REPORT_FORMATS, monthly_report, report_month_choices, report_pdf, report_sections, report_xlsx,
)
from .selectors import dashboard_scope, metric_demands


def _ensure_viewer(actor, perm: str = "appeal.view") -> None:
    """Staff holding `perm` somewhere; partner units only for the dashboard (their own figures), not reports."""
    if not (has_perm_anywhere(actor, perm) or (perm == "appeal.view" and partner_unit_ids(actor))):
        raise NotFound()


@login_required
@reads_from_replica  # read-only figures: the replica when one is configured (docs/scaling.md)
def dashboard_index(request):
    _ensure_viewer(request.user)
    form = PeriodPlaceForm(request.GET or None)
    form.is_valid()
    board = dashboard_board(actor=request.user, place_code=form.chosen_place_code(), period=form.chosen_period())
    form = PeriodPlaceForm(initial={"place": board.scope.place.code, "period": board.period.code},
                           places=board.places, current=board.period)
    return render(request, "dashboard/index.html", {"board": board, "form": form})


@login_required
@reads_from_replica  # read-only figures: the replica when one is configured (docs/scaling.md)
def dashboard_demands(request):
    _ensure_viewer(request.user)
    form = DrillForm(request.GET)
    if not form.is_valid():
        raise ValidationError(fields={name: [_("未知的统计项。") if name == "metric" else _("无效的筛选条件。")]
                                      for name in form.errors})
    period = period_parse(form.cleaned_data["period"])
    demands = metric_demands(actor=request.user, period=period, metric=form.cleaned_data["metric"],
                             place_code=form.cleaned_data["place"] or None, filters=form.filters())
    page = Paginator(demands, 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/demands.html", {
        "page": page, "period": period, "metric_label": DRILL_LABELS[form.cleaned_data["metric"]],
        "scope": dashboard_scope(actor=request.user, place_code=form.cleaned_data["place"] or None),
        "query": request.GET.urlencode()})


@login_required
@reads_from_replica  # read-only figures: the replica when one is configured (docs/scaling.md)
def report_index(request):
    _ensure_viewer(request.user, "report.view")
    scope = dashboard_scope(actor=request.user, place_code=request.GET.get("place") or None)
    month = request.GET.get("month") or report_month_choices()[0][0]
    report = monthly_report(actor=request.user, place_code=scope.place.code, month=month)
    return render(request, "dashboard/report.html", {
        "report": report, "sections": report_sections(report), "months": report_month_choices(),
        "places": place_options(scope), "month": month})


@login_required
@reads_from_replica  # read-only figures: the replica when one is configured (docs/scaling.md)
def report_download(request, fmt: str):
    _ensure_viewer(request.user, "report.view")
    if fmt not in REPORT_FORMATS:
        raise NotFound()
    report = monthly_report(actor=request.user, place_code=request.GET.get("place") or None,
                            month=request.GET.get("month") or report_month_choices()[0][0])
    body, content_type = (report_xlsx(report), REPORT_FORMATS["xlsx"]) if fmt == "xlsx" else (
        report_pdf(report), REPORT_FORMATS["pdf"])
    response = HttpResponse(body, content_type=content_type)
    filename = f"monthly-report-{report.place.code}-{report.period.start:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
