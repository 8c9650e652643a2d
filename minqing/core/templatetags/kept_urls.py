"""`{% url %}` with its answers kept (core.urlcache; a builtin of the project's templates: settings.TEMPLATES).
The home page has ~40 of them (issue 19)."""
from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.utils.html import conditional_escape

from minqing.core.urlcache import kept_reverse

register = template.Library()


class KeptURLNode(URLNode):
    def render(self, context):
        from django.urls import NoReverseMatch

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # as Django's tag finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url_tag(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
