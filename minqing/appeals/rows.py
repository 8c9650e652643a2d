"""One row of a demand list, written in Python.

Lists of demands are the most-read pages of the product (the list, the to-do sections, the supervision and
overdue boards, the intake page's recent demands). Rendered through `{% include %}`, a row cost ~150 µs of
template machinery (about twenty variable lookups, filters and tags, each resolved and escaped one by one):
a fifth of the filtered list's CPU. Here it is ~40 µs, the loop around it included. The markup is the one the former template wrote, byte
for byte; `appeals/tests/test_rows.py` keeps the template beside it and compares the two.
"""
from __future__ import annotations

from django.db import connections
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from minqing.accounts.models import PartnerUnit, User
from minqing.core.htmltext import escape
from minqing.places.models import Place

from .models import Appeal
from .taxonomy import Category
from .taxonomy_services import category_names

_PK_MARK = "2147483647"
_detail_urls: dict[tuple[str, str | None], tuple[str, str]] = {}


def _detail_url(pk: int) -> str:
    """The demand page's URL, reversed once per script prefix and language and filled in after. Not through
    core.urlcache's kept answers: a list shows fifty demands, most of them seen once, each a first reverse."""
    key = (get_script_prefix(), get_language())
    if key not in _detail_urls:
        head, _mark, tail = reverse("appeals:detail", args=[int(_PK_MARK)]).partition(_PK_MARK)
        _detail_urls[key] = (head, tail)
    head, tail = _detail_urls[key]
    return f"{head}{pk}{tail}"


def _names_sql(vendor: str, counts: tuple[int, int, int]) -> str:
    """The names a row shows, of the places, handlers and units of a page's demands, in one statement. On
    PostgreSQL each id list is one array parameter, so the text never changes and the statement is prepared
    once per connection; elsewhere (SQLite) plain IN lists."""
    def ids(count):
        return "= ANY(%s)" if vendor == "postgresql" else "IN (" + ", ".join(["%s"] * count) + ")"

    places, users, units = counts
    return (f"SELECT 1, id, name, NULL FROM {Place._meta.db_table} WHERE id {ids(places)} UNION ALL "
            f"SELECT 2, id, username, display_name FROM {User._meta.db_table} WHERE id {ids(users)} UNION ALL "
            f"SELECT 3, id, name, NULL FROM {PartnerUnit._meta.db_table} WHERE id {ids(units)}")


def _deferred(model, using, **values):
    """An instance with only these fields loaded, the others deferred (as `only()` makes them). `from_db`
    takes the values in the model's column order, whatever order the names are given in."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(using, fields, [values[name] for name in fields])


def _categories(ids: set[int], using: str) -> dict[int, Category]:
    """Categories with only their name (and their parent's), as `only()` would load them."""
    names = category_names(including=ids)
    found = {}
    for pk in ids:
        name, parent_id = names[pk]
        category = _deferred(Category, using, id=pk, name=name, parent_id=parent_id)
        if parent_id is not None:
            parent = _deferred(Category, using, id=parent_id, name=names[parent_id][0])
            _PARENT.set_cached_value(category, parent)
        found[pk] = category
    return found


def attach_names(appeals: list, *, using: str) -> None:
    """Give each demand of a list its place, category, handler and unit, with the names a row shows and the
    other fields deferred (what `select_related(...).only(ROW_FIELDS)` gave), from one query and the category
    cache instead of five joins (see models.RowIterable)."""
    if not appeals:
        return
    ids = (sorted({a.place_id for a in appeals}),
           sorted({a.handler_user_id for a in appeals if a.handler_user_id}),
           sorted({a.handler_unit_id for a in appeals if a.handler_unit_id}))
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_names_sql(connection.vendor, (1, 1, 1)), list(ids))
        else:
            cursor.execute(_names_sql(connection.vendor, tuple(map(len, ids))), [pk for part in ids for pk in part])
        rows = cursor.fetchall()
    places = {pk: _deferred(Place, using, id=pk, name=name) for kind, pk, name, _ in rows if kind == 1}
    users = {pk: _deferred(User, using, id=pk, username=name, display_name=display)
             for kind, pk, name, display in rows if kind == 2}
    units = {pk: _deferred(PartnerUnit, using, id=pk, name=name) for kind, pk, name, _ in rows if kind == 3}
    categories = _categories({a.category_id for a in appeals if a.category_id}, using)
    for appeal in appeals:
        _PLACE.set_cached_value(appeal, places[appeal.place_id])
        _CATEGORY.set_cached_value(appeal, categories.get(appeal.category_id))
        _HANDLER_USER.set_cached_value(appeal, users.get(appeal.handler_user_id))
        _HANDLER_UNIT.set_cached_value(appeal, units.get(appeal.handler_unit_id))


_PLACE, _CATEGORY, _HANDLER_USER, _HANDLER_UNIT = (
    Appeal._meta.get_field(name) for name in ("place", "category", "handler_user", "handler_unit"))
_PARENT = Category._meta.get_field("parent")


def _when(value, fmt: str) -> str:
    return timezone.localtime(value).strftime(fmt)


def row_html(appeal) -> SafeString:
    """The list row of a demand loaded with `Appeal.objects.as_rows()` (or with at least its fields)."""
    code = escape(appeal.receipt_code)
    overdue = f' <span class="tag bad">{escape(gettext("超期"))}</span>' if appeal.is_overdue else ""
    category = escape(str(appeal.category)) if appeal.category_id else ""
    deadline = (f" · {escape(gettext('时限'))} {_when(appeal.handle_deadline, '%m-%d %H:%M')}"
                if appeal.handle_deadline and appeal.is_open else "")
    handler = appeal.handler_label
    handler = f' · <span data-user-content>{escape(handler)}</span>' if handler else ""
    return mark_safe(
        f'<li class="appeal-row" data-testid="appeal-row" data-code="{code}">\n'
        f'  <a href="{escape(_detail_url(appeal.pk))}"><strong data-user-content>{escape(appeal.title)}</strong></a>\n'
        f'  <span class="tag status-{escape(appeal.status)}">{escape(appeal.get_status_display())}</span>{overdue}\n'
        f'  <div class="muted small"><code>{code}</code> · <span data-user-content>{escape(appeal.place.name)}</span>'
        f' · <span data-user-content>{category}</span> · {_when(appeal.submitted_at, "%Y-%m-%d %H:%M")}'
        f'{deadline}{handler}</div>\n'
        f'</li>\n')
