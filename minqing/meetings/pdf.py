"""The printable meeting notice 会议通知 and minutes 会议纪要 (with the report back 上次会议意见办理情况)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core import pdf
from minqing.core.pdf import mm

from .notices import call_text, decision_line


def _when(meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


def notice_pdf(meeting, *, invitees) -> bytes:
    flow = [pdf.paragraph(_("会议通知"), "title"), pdf.paragraph(meeting.title, "subtitle"), pdf.spacer(),
            pdf.paragraph(call_text(meeting)), pdf.spacer(),
            pdf.paragraph(_("参会人员（%(n)d）：%(who)s") % {"n": len(invitees), "who": "、".join(str(i) for i in invitees) or "—"}),
            pdf.spacer(8), pdf.paragraph(f"{meeting.place.name}　{timezone.localdate():%Y-%m-%d}")]
    return pdf.render(flow, title=_("会议通知"))


def _report_table(report) -> list:
    rows = [[_("意见"), _("提出人"), _("提出会议"), _("办理情况"), _("答复")]]
    rows += [[r.opinion.text, r.opinion.raised_by, f"{r.raised_at.starts_at:%Y-%m-%d}", r.state, r.reply or "—"]
             for r in report]
    return [pdf.table(rows, col_widths=[50 * mm, 20 * mm, 22 * mm, 30 * mm, 48 * mm])]


def minutes_pdf(meeting, *, invitees, opinions, report) -> bytes:
    present = [i for i in invitees if i.attended]
    flow = [
        pdf.paragraph(_("会议纪要"), "title"), pdf.paragraph(meeting.title, "subtitle"), pdf.spacer(),
        pdf.paragraph(_("时间：%(t)s　　地点：%(l)s　　类型：%(k)s") % {
            "t": _when(meeting), "l": meeting.location, "k": meeting.get_kind_display()}),
        pdf.paragraph(_("应到 %(i)d 人，实到 %(a)s 人。出席：%(who)s") % {
            "i": len(invitees), "a": meeting.attendance_count if meeting.attendance_count is not None else "—",
            "who": "、".join(str(i) for i in present) or "—"}),
        pdf.paragraph(_("议题"), "heading"), pdf.paragraph(meeting.agenda or "—"),
        pdf.paragraph(_("上次会议意见办理情况"), "heading"),
    ]
    flow += _report_table(report) if report else [pdf.paragraph(_("无需通报的意见。"))]
    flow += [pdf.paragraph(_("会议纪要"), "heading"), pdf.paragraph(meeting.minutes or "—"),
             pdf.paragraph(_("会议决定"), "heading")]
    decisions = list(meeting.decisions.all())
    flow += [pdf.paragraph(f"{n}. {decision_line(d)}") for n, d in enumerate(decisions, start=1)] or [pdf.paragraph("—")]
    flow.append(pdf.paragraph(_("群众意见及处理"), "heading"))
    rows = [[_("意见"), _("提出人"), _("处理")]]
    rows += [[o.text, o.raised_by, o.answer if o.status == "answered" else (
        _("转为诉求 %(c)s") % {"c": o.appeal.receipt_code} if o.appeal_id else _("待答复"))] for o in opinions]
    flow.append(pdf.table(rows, col_widths=[80 * mm, 25 * mm, 65 * mm]))
    return pdf.render(flow, title=_("会议纪要"))
