"""`{% load paging %}{% pager %}`: the pager of the context's `page` (core.paging)."""
from django import template

from minqing.core.paging import pager_html

register = template.Library()


@register.simple_tag(takes_context=True)
def pager(context):
    return pager_html(context["page"], context.get("request"))
