"""The printable visit sheet 走访登记表: the households due, with blank columns to fill at the door —
for a round without a phone; what is written there is entered afterwards through the visit form."""
from django.utils import timezone
from django.utils.translation import gettext as _

from minqing.core import pdf
from minqing.core.pdf import mm


def due_sheet_pdf(rows, *, actor) -> bytes:
    today = timezone.localdate()
    table = [[_("户"), _("户主"), _("类型"), _("上次走访"), _("走访日期"), _("情况与需求"), _("签名")]]
    for row in rows:
        household = row.household
        table.append([f"{household.building.name}{household.room}", household.head.name if household.head_id else "",
                      row.reason, row.last_visit.strftime("%Y-%m-%d") if row.last_visit else _("从未"), "", "", ""])
    flow = [pdf.paragraph(_("走访登记表"), "title"),
            pdf.paragraph(_("%(who)s · 打印于 %(d)s · 共 %(n)s 户") % {"who": actor, "d": today, "n": len(rows)}, "subtitle"),
            pdf.spacer(), pdf.table(table, col_widths=[26 * mm, 18 * mm, 24 * mm, 24 * mm, 22 * mm, 40 * mm, 16 * mm])]
    return pdf.render(flow, title=_("走访登记表"))
