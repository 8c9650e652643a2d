"""`{% load labels %}`: audit rows and stored values as words (core.labels), in the page's language."""
from django import template

from minqing.core import labels

register = template.Library()


@register.filter
def audit_describe(entry) -> labels.AuditLine:
    return labels.audit_describe(entry)


@register.filter
def action_label(code: str, object_type: str | None = None) -> str:
    return labels.action_label(code, object_type)
