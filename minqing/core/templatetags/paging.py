"""`{% load paging %}{% pager %}`: the pager of the context's `page` (core.paging); `{% pager other "param" %}`
for a second paginated list on the same page."""
from django import template

from minqing.core.paging import pager_html

register = template.Library()


@register.simple_tag(takes_context=True)
def pager(context, page=None, param: str = "page"):
    return pager_html(context["page"] if page is None else page, context.get("request"), param)
