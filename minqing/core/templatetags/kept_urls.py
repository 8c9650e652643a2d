"""`{% url %}` with its answers kept (a builtin of the project's templates: settings.TEMPLATES).

A URL is a pure function of the view name, its arguments, the URLconf, the script prefix and the language.
Django's tag reverses it again on every render: ~25 µs each, and the home page has ~40 of them (issue 19).
Here the answer is kept per process, for arguments that are plain numbers or text (a model instance's text
may change, so those are reversed every time, as is everything `{% url … as var %}` fails on)."""
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_PLAIN = (int, str)


@lru_cache(maxsize=8192)
def _reversed(view_name: str, args: tuple, kwargs: tuple, current_app, _where: tuple) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(view_name, args, kwargs, current_app) -> str:
    values = (*args, *kwargs.values())
    if not isinstance(view_name, str) or not all(type(v) in _PLAIN for v in values):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language())
    return _reversed(view_name, tuple(args), tuple(sorted(kwargs.items())), current_app, where)


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
