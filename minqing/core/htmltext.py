"""Escaping for the renderers written in Python (a demand list's rows, selects and inputs, the navigation bar,
the pager): the text of django.utils.html's `escape` and `conditional_escape`, without their lazy-argument
wrapper. That wrapper (`keep_lazy`) looks through every argument for a lazy translation on each call, ~1 µs;
a list page made ~600 such calls (issue 19). Callers mark the finished fragment safe once.
"""
from html import escape as _html_escape

from django.utils.functional import Promise


def escape(value) -> str:
    """django.utils.html.escape's text: always escaped, even if marked safe."""
    return _html_escape(str(value))


def conditional_escape(value) -> str:
    """django.utils.html.conditional_escape's text: what is marked safe is kept as it is."""
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else _html_escape(str(value))
