from django import template

from minqing.appeals.rows import row_html

register = template.Library()


@register.simple_tag
def appeal_row(appeal):
    """`{% appeal_row a %}`: one row of a demand list (see appeals.rows)."""
    return row_html(appeal)
