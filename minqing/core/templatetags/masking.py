"""Template filters for the masking policy (core/masking.py): `{% load masking %}{{ name|mask_name }}`."""
from django import template

from minqing.core import masking

register = template.Library()


@register.filter
def mask_name(value):
    return masking.mask_name(str(value or ""))
