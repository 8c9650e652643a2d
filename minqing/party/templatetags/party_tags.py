from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ counts|get:key }} → the count, 0 when absent."""
    return mapping.get(key, 0) if mapping else 0
