"""`{{ evidence|evidence_lines }}`: one 五个一 item's evidence — the date, then the record linked — written in Python.

As template markup each line cost a `date` filter, an `if`, a link and two escapes; a street's page shows up to
20 lines for each of 8 leaders' five items, and rendering them was most of the page's CPU (issue 19, like the
四无 board: civility_board.py)."""
from django import template
from django.utils.safestring import mark_safe

from minqing.core.htmltext import escape
from minqing.core.userdata import data

register = template.Library()


@register.filter
def evidence_lines(evidence) -> str:
    return mark_safe("".join(
        f'<br><span class="muted">{e.on.isoformat()}</span> {_record(e)}' for e in evidence))


def _record(e) -> str:
    if e.url:
        return f'<a href="{escape(e.url)}" data-user-content>{escape(e.label)}</a>'
    return data(e.label)
