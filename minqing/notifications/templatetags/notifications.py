"""`{% unread_badge %}` in the header: the actor's unread notifications, one COUNT query."""
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from minqing.notifications.selectors import request_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_badge(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    try:
        url = reverse("notifications:list")
    except NoReverseMatch:
        return ""
    count = request_unread_count(request)
    return format_html('<a class="bell" href="{}" data-testid="unread-badge">{}{}</a>', url, _("消息"),
                       format_html(' <span class="count">{}</span>', count) if count else "")
