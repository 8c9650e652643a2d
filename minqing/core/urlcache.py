"""`reverse` with its answers kept per process.

A URL is a pure function of the view name, its arguments, the URLconf, the script prefix and the language;
Django reverses it again on every call (~25 µs). Pages that link many records — the home panels, 五个一's
~400 pieces of evidence — spent milliseconds on it (issue 19). Only number and text arguments are kept (a
model instance's text may change); anything else is reversed every time."""
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_PLAIN = (int, str)


@lru_cache(maxsize=8192)
def _reversed(viewname: str, args: tuple, kwargs: tuple, current_app, _where: tuple) -> str:
    return reverse(viewname, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(viewname, args=(), kwargs=None, current_app=None) -> str:
    """Like django.urls.reverse (NoReverseMatch included), from the process's kept answers when it can."""
    args, kwargs = tuple(args or ()), kwargs or {}
    if not isinstance(viewname, str) or not all(type(v) in _PLAIN for v in (*args, *kwargs.values())):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language())
    return _reversed(viewname, args, tuple(sorted(kwargs.items())), current_app, where)
