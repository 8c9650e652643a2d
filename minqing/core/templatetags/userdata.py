"""`{% load userdata %}{{ value|data }}`: a stored name or text, marked as data (core.userdata)."""
from django import template

from minqing.core import userdata

register = template.Library()


@register.filter
def data(value):
    return userdata.data(value)


@register.filter
def is_data(label) -> bool:
    """A choice label drawn from the database (core.userdata.DataText)."""
    return isinstance(label, userdata.DataText)
