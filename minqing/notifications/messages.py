"""A notification's text as a message key and its params, put into words when it is read, in the reader's
language — not in the language of the request or job that sent it.

A message is `{"msgid": <catalogue msgid>, "params": {...}}`. A param is data (a title, a name, a reason:
shown as stored, marked `data-user-content` on the page), or itself a message (one of our sentences or
labels, translated in turn). Params must be JSON: pass dates as ISO strings.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from minqing.core.userdata import data


def message(msgid: str, **params) -> dict:
    """A message to store; `msgid` is the Chinese source of a catalogue entry (wrap it in gettext_noop
    where it is written, so makemessages finds it)."""
    return {"msgid": str(msgid), "params": params}


def _is_message(value) -> bool:
    return isinstance(value, dict) and "msgid" in value


def message_text(msg: dict) -> str:
    """Plain text in the active language (no marks): the stored fallback and what a text export shows."""
    values = {k: message_text(v) if _is_message(v) else v for k, v in (msg.get("params") or {}).items()}
    text = gettext(msg["msgid"])
    return text % values if values else text


def message_html(msg: dict) -> SafeString:
    """The page's text in the active language, data params marked."""
    values = {k: message_html(v) if _is_message(v) else data(v) for k, v in (msg.get("params") or {}).items()}
    text = conditional_escape(gettext(msg["msgid"]))
    return mark_safe(text % values if values else text)


def stored_text(msg: dict) -> str:
    """The text kept on the row in the default language (what a reader of the raw table or an older
    version of the product sees)."""
    with translation.override(settings.LANGUAGE_CODE):
        return message_text(msg)
