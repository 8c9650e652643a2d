"""A published notice as a printable A4 PDF (to post on the paper board as well)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core import pdf


def notice_pdf(notice) -> bytes:
    published = timezone.localtime(notice.published_at).strftime("%Y-%m-%d") if notice.published_at else ""
    flowables = [
        pdf.paragraph(notice.title, "title"),
        pdf.paragraph(f"{notice.community.name} · {notice.get_kind_display()} · {_('发布')} {published}", "subtitle"),
        pdf.spacer(6),
        pdf.paragraph(notice.body),
    ]
    if notice.display_until:
        flowables += [pdf.spacer(), pdf.paragraph(_("公示期至 %(date)s。") % {"date": notice.display_until})]
    if notice.status == "withdrawn":
        flowables += [pdf.spacer(), pdf.paragraph(_("本事项已撤回：%(r)s") % {"r": notice.withdrawn_reason}, "heading")]
    revisions = list(notice.revisions.order_by("number"))
    if len(revisions) > 1:
        flowables += [pdf.spacer(), pdf.paragraph(_("修改记录"), "heading"), pdf.table(
            [[_("版本"), _("时间"), _("说明")]] + [
                [f"v{r.number}", timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"), r.reason]
                for r in revisions])]
    return pdf.render(flowables, title=notice.title)
