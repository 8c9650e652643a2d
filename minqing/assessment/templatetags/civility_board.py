"""`{% civility_rows board can_nominate %}`: the rows of the 四无 board — a building, its four quarters —
written in Python.

As template markup the cells cost ~0.1 ms each — four `if`s, a tag, the checker and a link for 200 cells a page —
more than the rest of the page together (docs/performance.md, "tenth pass"); the pager is written the same
way (core.paging)."""
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from minqing.core.htmltext import escape
from minqing.core.urlcache import kept_reverse

register = template.Library()


@register.simple_tag
def civility_rows(board, can_nominate: bool):
    labels = {"met": gettext("达标"), "not_met": gettext("未达标"), "unchecked": gettext("未检查"),
              "nominate": gettext("推荐评比"), "separator": gettext("；")}
    return mark_safe("".join(
        f'<tr><td data-user-content>{escape(row.building.name)}</td>'
        f'{"".join(f"<td>{_cell(check, can_nominate, labels)}</td>" for check in row.checks)}</tr>\n'
        for row in board))


def _cell(check, can_nominate: bool, labels: dict) -> str:
    if check is None:
        return f'<span class="muted small">{escape(labels["unchecked"])}</span>'
    checker = f' <span class="small muted" data-user-content>{escape(check.checked_by)}</span>'
    if not check.passed:
        failed = escape(labels["separator"].join(check.failed_items))
        return f'<span class="tag warn">{escape(labels["not_met"])}</span>{checker} <span class="small">{failed}</span>'
    met = f'<span class="tag ok">{escape(labels["met"])}</span>{checker}'
    if not can_nominate:
        return met
    url = escape(kept_reverse("assessment:nominate", args=[check.pk]))
    return f'{met} <a href="{url}">{escape(labels["nominate"])}</a>'
