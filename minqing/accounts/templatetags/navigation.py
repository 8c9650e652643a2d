from django import template

from minqing.accounts import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    """`{% nav_links %}`: the navigation bar's links (accounts.navigation.nav_links)."""
    request = context.get("request")
    return navigation.nav_links(context.get("nav_items", ()), getattr(request, "path", ""))


@register.simple_tag(takes_context=True)
def nav_tiles(context):
    """`{% nav_tiles %}`: the home page's shortcuts (accounts.navigation.nav_tiles)."""
    return navigation.nav_tiles(context.get("nav_items", ()))
