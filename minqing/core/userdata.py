"""Data — what people typed or named (a name, an address, a demand's text, a place or category name) —
is marked on the page with `data-user-content`, so a language check (the English walk) can tell data,
shown as stored, from interface text, which must follow the reader's language."""
from __future__ import annotations

import re
from pathlib import Path

from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html

from minqing.core.htmltext import conditional_escape as _esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


_PLACEHOLDER = re.compile(r"%\((\w+)\)([-#0 +]?\d*(?:\.\d+)?[sdf])")


def _pattern(msgids: tuple[str, ...]) -> re.Pattern:
    """A regex that matches the Chinese text the msgids (concatenated) produced, capturing each param
    as `p<part>_<name>`."""
    parts = []
    for index, msgid in enumerate(msgids):
        last = 0
        for m in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[last:m.start()]))
            kind = m.group(2)[-1]
            body = r"-?\d+" if kind == "d" else r"-?[\d.]+" if kind == "f" else r".*?"
            parts.append(f"(?P<p{index}_{m.group(1)}>{body})")
            last = m.end()
        parts.append(re.escape(msgid[last:]))
    return re.compile("".join(parts), re.S)


def stored_shown(text: str, forms: list[tuple[str, ...]]) -> SafeString | str:
    """Text stored in the default language by one of our sentences (each form: the msgids it was built
    from, in order), put back into the reader's language: the params the text carried are data unless
    they are themselves one of our labels (translated). Text that matches no form is returned as stored."""
    for msgids in forms:
        match = _pattern(msgids).fullmatch(text or "")
        if not match:
            continue
        shown = []
        for index, msgid in enumerate(msgids):
            params = {}
            for key, value in match.groupdict().items():
                part, name = key[1:].split("_", 1)
                if int(part) != index:
                    continue
                label = gettext(value) if value else value
                params[name] = conditional_escape(label) if label != value else (
                    int(value) if re.fullmatch(r"-?\d+", value) and f"%({name})d" in msgid else
                    float(value) if f"%({name})." in msgid else data(value))
            template = conditional_escape(gettext(msgid))
            shown.append(template % params if params else template)
        return mark_safe("".join(shown))
    return text


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes: False left out, True as a bare name."""
    return "".join("" if value is False else f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(value)}"'
                   for name, value in attrs.items())


def _option_html(option: dict) -> str:
    """Our select_option.html: an option whose label is data (a model row, a DataText) is marked."""
    marked = hasattr(option["value"], "instance") or isinstance(option["label"], DataText)
    return (f'<option value="{_esc(option["value"])}"{_attrs_html(option["attrs"])}'
            f'{" data-user-content" if marked else ""}>{_esc(option["label"])}</option>')


def select_html(widget: dict) -> SafeString | None:
    """django/forms/widgets/select.html written in Python, or None when an option has its own template.

    Why: Django renders every <option> through an {% include %}; a list page's filter form (status,
    category, channel, kind, overdue: ~50 options) spent ~3 ms of a ~30 ms page doing it, and forms with
    a place or person select (80+ options) more (issue 19). The output is the template's, less its
    indentation."""
    groups = widget["optgroups"]
    if any(option["template_name"] != OPTION_TEMPLATE for _name, options, _index in groups for option in options):
        return None
    parts = [f'<select name="{_esc(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'<optgroup label="{_esc(group_name)}">')
        parts.extend(_option_html(option) for option in options)
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))


# Django's widget templates that are only `{% include "django/forms/widgets/input.html" %}`
INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "file", "checkbox")}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def input_html(widget: dict) -> SafeString:
    """django/forms/widgets/input.html written in Python (see select_html)."""
    value = "" if widget["value"] is None else f' value="{_esc(widget["value"])}"'
    return mark_safe(f'<input type="{_esc(widget["type"])}" name="{_esc(widget["name"])}"{value}'
                     f'{_attrs_html(widget["attrs"])}>')


def textarea_html(widget: dict) -> SafeString:
    """Our form_templates' textarea.html written in Python: typed text is data."""
    value = widget["value"]
    return format_html('<textarea name="{}"{}{}>\n{}</textarea>', widget["name"], mark_safe(_attrs_html(widget["attrs"])),
                       mark_safe(" data-user-content" if value else ""), value or "")


class DataMarkingRenderer(DjangoTemplates):
    """Django's form templates, except that a choice drawn from the database (a ModelChoiceField's
    option: a place, a person, a category) is marked as data; the fixed choices stay interface.
    Selects, inputs and text areas are written in Python (select_html …), the rest by the templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            return textarea_html(context["widget"])
        return super().render(template_name, context, request)

    @cached_property
    def engine(self):
        import django.forms

        return self.backend({
            "APP_DIRS": True,
            "DIRS": [FORM_TEMPLATES, Path(django.forms.__file__).parent / "templates"],
            "NAME": "djangoforms",
            "OPTIONS": {},
        })
