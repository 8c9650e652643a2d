"""The application file as a printable A4 PDF: what the community sends up with the file 审核审批表."""
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core import pdf


def _d(value) -> str:
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d") if hasattr(value, "tzinfo") and hasattr(value, "hour") \
        else value.strftime("%Y-%m-%d")


def application_pdf(application) -> bytes:
    a = application
    rows = [[_("编号"), a.reference, _("项目"), a.programme.name],
            [_("申请人"), a.applicant.name, _("住址"), str(a.household)],
            [_("家庭人口"), str(a.household_size), _("申报月收入"), f"{a.declared_income} 元"],
            [_("受理"), f"{_d(a.received_at)} {a.received_by}", _("核查时限"), _d(a.verification_due)],
            [_("测算金额"), str(a.proposed_amount or "—"), _("状态"), a.get_status_display()]]
    flow = [pdf.paragraph(_("救助申请审核审批表"), "title"), pdf.paragraph(a.household.building.full_name, "subtitle"),
            pdf.spacer(), pdf.table(rows, header=False), pdf.paragraph(_("申请理由"), "heading"), pdf.paragraph(a.reason)]
    for v in a.verifications.all():
        flow += [pdf.paragraph(_("入户核查 %(d)s（%(a)s、%(b)s）") % {"d": _d(v.visited_on), "a": v.staff_1, "b": v.staff_2},
                               "heading"),
                 pdf.paragraph(f"{v.neighbours}\n{v.records}\n{v.findings}\n"
                               + _("核实月收入 %(i)s 元；%(r)s") % {"i": v.verified_income,
                                                                  "r": _("建议纳入") if v.recommends else _("不建议纳入")})]
    for ap in a.appraisals.all():
        flow += [pdf.paragraph(_("民主评议 %(d)s") % {"d": _d(ap.held_on)}, "heading"),
                 pdf.paragraph(_("应到 %(m)s 人，实到 %(n)s 人；同意 %(f)s，不同意 %(g)s，弃权 %(b)s。%(p)s") % {
                     "m": ap.members, "n": ap.attendance, "f": ap.votes_for, "g": ap.votes_against, "b": ap.abstentions,
                     "p": _("通过") if ap.passed else _("未通过")})]
    if a.notice_start:
        flow += [pdf.paragraph(_("公示"), "heading"),
                 pdf.paragraph(_("%(s)s 至 %(e)s；异议 %(n)s 条。") % {"s": _d(a.notice_start), "e": _d(a.notice_end),
                                                                    "n": a.objections.count()})]
        flow += [pdf.paragraph(f"{o.receipt}：{o.text}\n{_('答复')}：{o.answer or '—'}", "small") for o in a.objections.all()]
    if a.decided_at:
        flow += [pdf.paragraph(_("审批"), "heading"),
                 pdf.paragraph(f"{_d(a.decided_at)} {a.decided_by or ''} {a.get_status_display()} "
                               f"{a.approved_amount or ''} {a.rejection_reason}")]
    flow += [pdf.spacer(10), pdf.paragraph(_("社区（盖章）：　　　　　　街道审批意见：　　　　　　日期："))]
    return pdf.render(flow, title=a.reference)
