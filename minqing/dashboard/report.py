"""The monthly report a community or a street sends upward: the rates (with last month beside them),
volumes by category, channel and place, the top issues, and the overdue and reopened demands.
Excel (openpyxl) and PDF (minqing.core.pdf, CJK font) are drawn from one MonthlyReport."""
from __future__ import annotations

import datetime
import io
from copy import copy
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from minqing.core import pdf
from minqing.core.spreadsheet import append_row
from minqing.core.userdata import DataText, with_data
from minqing.places.models import Place

from .metrics import RATE_DEFS, Figures, format_hours, format_rate
from .periods import Period, month_start, period_month, period_parse
from .rollups import rollups_refresh_if_stale
from .selectors import Row, dashboard_scope, metric_demands, rates_for

REPORT_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "pdf": "application/pdf"}
LIST_LIMIT = 200  # demands listed by name in the overdue and reopened sections (the count is always complete)
TOP_ISSUES = 10


@dataclass
class MonthlyReport:
    place: Place
    period: Period
    generated_at: datetime.datetime
    figures: Figures
    previous: Figures
    by_category: list[Row]
    by_channel: list[Row]
    by_place: list[Row]
    top_issues: list[Row]
    overdue: list
    reopened: list

    @property
    def title(self) -> str:
        return _("%(place)s%(month)s诉求办理情况月报") % {"place": self.place.name, "month": self.period.label}

    @property
    def title_shown(self) -> SafeString:
        """The title on the page: the place's name marked as data."""
        return with_data(_("%(place)s%(month)s诉求办理情况月报"), {"month": self.period.label}, place=self.place.name)

    def rate_lines(self) -> list[dict]:
        return [{"label": str(d.label), "numerator": round(self.figures.numerator(d.key), 2),
                 "denominator": self.figures.count(d.denominator), "value": self.figures.rate(d.key),
                 "text": format_rate(self.figures.rate(d.key)), "previous": format_rate(self.previous.rate(d.key)),
                 "key": d.key}
                for d in RATE_DEFS]


def report_month_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Last month first (the one usually sent), then this month, then the 22 before."""
    today = today or timezone.localdate()
    last = month_start(month_start(today) - datetime.timedelta(days=1))
    months, month = [last, month_start(today)], last
    for _i in range(22):
        month = month_start(month - datetime.timedelta(days=1))
        months.append(month)
    return [(f"{m:%Y-%m}", period_month(m.year, m.month).label) for m in months]


# What a listed demand shows (_demand_table): up to 400 demands a report, whose ~100 columns with their related
# rows' cost a third of the report's CPU when loaded whole (docs/performance.md, "tenth pass")
_LISTED = ("receipt_code", "title", "status", "submitted_at", "place_code", "place__name", "category__name",
           "category__parent__name", "handler_user__display_name", "handler_user__username", "handler_unit__name")


def monthly_report(*, actor, place_code: str | None, month: str) -> MonthlyReport:
    scope = dashboard_scope(actor=actor, place_code=place_code)
    rollups_refresh_if_stale()  # no scheduler running: bring the figures up to date on read
    period = period_parse(month)
    previous_start = month_start(period.start - datetime.timedelta(days=1))
    previous = period_month(previous_start.year, previous_start.month)
    grouped = {g: [r for r in rates_for(actor=actor, period=period, scope=scope, group_by=g) if r.figures["total"]]
               for g in ("category", "channel", "place", "subcategory")}
    lists = {metric: list(metric_demands(actor=actor, period=period, metric=metric, place_code=scope.place.code)
                          .only(*_LISTED).order_by("place_code", "submitted_at")[:LIST_LIMIT])
             for metric in ("overdue", "reopened")}
    return MonthlyReport(
        place=scope.place, period=period, generated_at=timezone.localtime(),
        figures=rates_for(actor=actor, period=period, scope=scope)[0].figures,
        previous=rates_for(actor=actor, period=previous, scope=scope)[0].figures,
        by_category=grouped["category"], by_channel=grouped["channel"], by_place=grouped["place"],
        top_issues=grouped["subcategory"][:TOP_ISSUES], overdue=lists["overdue"], reopened=lists["reopened"])


# --- the tables both formats print -----------------------------------------------------------------------

class Percent(float):
    """A rate in a table: a number with a percent format in Excel, "95.3%" in print (str)."""

    def __str__(self) -> str:
        return format_rate(self)


def _percent(value: float | None):
    return "—" if value is None else Percent(value)


def _volume_table(rows: list[Row], first: str) -> list[list]:
    header = [first, _("诉求量"), _("响应率"), _("解决率"), _("满意率"), _("超期率")]
    return [header, *[[r.label if isinstance(r.label, DataText) else str(r.label), r.figures["total"], _percent(r.figures.rate("response_rate")),
                       _percent(r.figures.rate("resolution_rate")), _percent(r.figures.rate("satisfaction_rate")),
                       _percent(r.figures.rate("overdue_rate"))] for r in rows]]


def _demand_table(demands: list) -> list[list]:
    header = [_("回执码"), _("地点"), _("分类"), _("标题"), _("承办"), _("状态"), _("提交时间")]
    return [header, *[[a.receipt_code, DataText(a.place.name), DataText(a.category or ""), DataText(a.title[:40]),
                       DataText(a.handler_label or ""),
                       a.get_status_display(), f"{timezone.localtime(a.submitted_at):%Y-%m-%d}"] for a in demands]]


def report_sections(report: MonthlyReport) -> list[tuple[str, list[list]]]:
    f = report.figures
    summary = [[_("指标"), _("分子"), _("分母"), _("本月"), _("上月")],
               *[[r["label"], r["numerator"], r["denominator"], _percent(r["value"]),
                  _percent(report.previous.rate(r["key"]))] for r in report.rate_lines()],
               [_("首次响应时长（中位数）"), f["responded"], "", format_hours(f.median_response_hours),
                format_hours(report.previous.median_response_hours)],
               [_("办结时长（中位数）"), f["closed"], "", format_hours(f.median_close_hours),
                format_hours(report.previous.median_close_hours)]]
    volumes = [[_("项目"), _("数量")], [_("诉求量"), f["total"]], [_("不予受理"), f["rejected"]],
               [_("已合并（重复）"), f["merged"]], [_("已办结"), f["closed"]], [_("未办结"), f.count("open")],
               [_("超期"), f["overdue"]], [_("重办"), f["reopened"]]]
    return [
        (_("一、主要指标"), summary),
        (_("二、诉求量"), volumes),
        (_("三、分类统计"), _volume_table(report.by_category, _("分类"))),
        (_("四、渠道统计"), _volume_table(report.by_channel, _("渠道"))),
        (_("五、地点统计"), _volume_table(report.by_place, _("地点"))),
        (_("六、突出问题"), _volume_table(report.top_issues, _("问题"))),
        (_("七、超期诉求（%(n)d 件）") % {"n": f["overdue"]}, _demand_table(report.overdue)),
        (_("八、重办诉求（%(n)d 件）") % {"n": f["reopened"]}, _demand_table(report.reopened)),
    ]


def _subtitle(report: MonthlyReport) -> str:
    return _("统计口径：%(s)s 至 %(e)s 提交的诉求（北京时间），数据截至 %(g)s；定义见 docs/metrics.md") % {
        "s": f"{report.period.start:%Y-%m-%d}", "e": f"{report.period.end:%Y-%m-%d}",
        "g": f"{report.generated_at:%Y-%m-%d %H:%M}"}


# The styles of the report sheet's cells, by kind; every cell is also aligned to the top
_TOP = Alignment(wrap_text=False, vertical="top")
_CELL_KINDS = {
    "plain": {},
    "title": {"font": Font(size=14, bold=True)},
    "heading": {"font": Font(bold=True)},
    "header": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="F2F4F7")},
    "percent": {"number_format": "0.0%"},
}


class _CellStyles:
    """Each kind's style resolved once per workbook, then copied to the cells of that kind.

    openpyxl hashes a style object into the workbook's tables on every assignment (~30 µs), and a street's
    report has ~10,000 cells: a third of the Excel download's CPU (docs/performance.md, "tenth pass"). A cell
    takes a copy of its kind's resolved style array instead — how openpyxl copies styles itself (WorksheetCopy)."""

    def __init__(self):
        self._resolved = {}

    def apply(self, cell, kind: str) -> None:
        resolved = self._resolved.get(kind)
        if resolved is not None:
            cell._style = copy(resolved)
            return
        cell.alignment = _TOP
        for name, value in _CELL_KINDS[kind].items():
            setattr(cell, name, value)
        self._resolved[kind] = copy(cell._style)


def report_xlsx(report: MonthlyReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("月报")
    styles = _CellStyles()
    written = 0  # rows so far, counted here: openpyxl's max_row reads every cell's key

    def put(values: list, kind: str = "plain") -> None:
        nonlocal written
        append_row(sheet, [float(v) if isinstance(v, Percent) else v for v in values])
        written += 1
        for column, value in enumerate(values, start=1):
            styles.apply(sheet.cell(row=written, column=column), "percent" if isinstance(value, Percent) else kind)

    put([report.title], "title")
    put([_subtitle(report)])
    for heading, rows in report_sections(report):
        put([])
        put([heading], "heading")
        for i, row in enumerate(rows):
            put(row, "header" if i == 0 else "plain")
    for column, width in zip("ABCDEFG", (24, 14, 16, 36, 16, 12, 12)):
        sheet.column_dimensions[column].width = width
    rates = book.create_sheet(_("指标数值"))  # the rates as numbers, for the office's own formulas
    rates.append([_("指标"), _("分子"), _("分母"), _("比率")])
    for line in report.rate_lines():
        append_row(rates, [line["label"], line["numerator"], line["denominator"], line["value"]])
        rates.cell(row=rates.max_row, column=4).number_format = "0.0%"
    for i in range(1, 5):
        rates.column_dimensions[get_column_letter(i)].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(report: MonthlyReport) -> bytes:
    flowables = [pdf.paragraph(report.title, "title"), pdf.paragraph(_subtitle(report), "subtitle"), pdf.spacer()]
    for heading, rows in report_sections(report):
        flowables.append(pdf.paragraph(heading, "heading"))
        if len(rows) > 1:
            flowables.append(pdf.table(rows))
        else:
            flowables.append(pdf.paragraph(_("无。"), "small"))
    return pdf.render(flowables, title=report.title)
