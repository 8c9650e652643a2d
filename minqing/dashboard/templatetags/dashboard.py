"""Formatting of rates and durations in the dashboard's templates."""
from django import template

from minqing.dashboard.metrics import format_hours, format_rate

register = template.Library()


@register.filter
def rate(value):
    return format_rate(value)


@register.filter
def hours(value):
    return format_hours(value)
