"""Which app answers an objection filed on the board against a notice of a given kind.

The board (no login) shows an objection form under notices that accept objections; the form posts
here, and the app that owns the notice's kind files it through its own service. Welfare registers
its handler in WelfareConfig.ready(), so the board never imports welfare.
"""
from __future__ import annotations

from collections.abc import Callable

from minqing.core.errors import NotFound

# handler(*, notice, text, name, phone) -> object with a `receipt` attribute
_handlers: dict[str, Callable] = {}


def register_objection_handler(kind: str, handler: Callable) -> None:
    _handlers[kind] = handler


def objection_file(*, notice, text: str, name: str = "", phone: str = ""):
    handler = _handlers.get(notice.kind)
    if handler is None or not notice.accepts_objections:
        raise NotFound()
    return handler(notice=notice, text=text, name=name, phone=phone)
