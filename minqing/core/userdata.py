"""Data — what people typed or named (a name, an address, a demand's text, a place or category name) —
is marked on the page with `data-user-content`, so a language check (the English walk) can tell data,
shown as stored, from interface text, which must follow the reader's language."""
from __future__ import annotations

from pathlib import Path

from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

FORM_TEMPLATES = Path(__file__).parent / "form_templates"


class DataText(str):
    """A choice label that is data (a tag's or a place's name put in a plain ChoiceField's choices): the
    form templates mark its option like a ModelChoiceField's."""


def data_choices(pairs) -> list[tuple]:
    """(value, label) pairs whose labels are data."""
    return [(value, DataText(label)) for value, label in pairs]


def data(value) -> str:
    """`value` as data: escaped, inside `<span data-user-content>`; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return format_html("<span data-user-content>{}</span>", value)


def with_data(text: str, plain: dict | None = None, **params) -> SafeString:
    """An interface sentence (already translated, `%(name)s` placeholders) with its params marked as data:
    `with_data(_("%(name)s 迁入"), name=resident.name)`; `plain` holds params that are not data (a date,
    an amount, one of our labels), escaped but unmarked."""
    values = {key: data(value) for key, value in params.items()}
    values |= {key: conditional_escape(value) for key, value in (plain or {}).items()}
    return mark_safe(conditional_escape(text) % values)


class DataMarkingRenderer(DjangoTemplates):
    """Django's form templates, except that a choice drawn from the database (a ModelChoiceField's
    option: a place, a person, a category) is marked as data; the fixed choices stay interface."""

    @cached_property
    def engine(self):
        import django.forms

        return self.backend({
            "APP_DIRS": True,
            "DIRS": [FORM_TEMPLATES, Path(django.forms.__file__).parent / "templates"],
            "NAME": "djangoforms",
            "OPTIONS": {},
        })
