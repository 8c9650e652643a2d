"""Appending rows without compiling an INSERT each time (issue 19).

Every submission appends a demand, its timeline event, a rollup mark, its notifications, an outbox text and
an audit row. Through `Model.save()` / `bulk_create()` Django builds each INSERT from scratch — a query
object, a compiler, every column quoted and joined — and on PostgreSQL a bulk insert of several rows
becomes `UNNEST` of typed arrays that psycopg escapes element by element (three notifications: 0.69 ms of
CPU through bulk_create, 0.33 ms here; a timeline event 0.53 → 0.35 ms; measured in-process on the
1,000,000-demand city).

`rows_append` keeps the statement per (model, database, row count, conflict rule) for the process and only
prepares the values, through each field's own `pre_save` / `get_db_prep_save` — so defaults, `auto_now` and
JSON store exactly what `save()` would (plain strings, numbers and NULL skip the preparation that would hand
them back unchanged). It sends no signals, so it is for rows nobody listens for: a model with a
`pre_save`/`post_save` receiver (a cache to clear, a hook to run) is refused when its statement is first built,
rather than having its receivers silently skipped.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save

KEPT_UP_TO_ROWS = 16  # statements for more rows at once are rare (broadcast notices) and built each time

_statements: dict[tuple, tuple[str, list[models.Field], bool]] = {}


def rows_append(objs: Sequence[models.Model], *, ignore_conflicts: bool = False) -> list[models.Model]:
    """INSERT the unsaved instances (all of one model) and set their primary keys where the database
    returns them (not with ignore_conflicts: a skipped row has none). Returns them as a list."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    if model._meta.parents:
        raise TypeError(f"rows_append writes one table; {model.__name__} inherits from another model")
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    per_batch = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), per_batch):
        _insert(model, connection, objs[start:start + per_batch], ignore_conflicts)
    return objs


def _insert(model, connection, objs: list[models.Model], ignore_conflicts: bool) -> None:
    sql, fields, returns = _statement(model, connection, len(objs), ignore_conflicts)
    params, plain_types = [], _plain_types(model)
    for obj in objs:
        for field, plain in zip(fields, plain_types, strict=True):
            value = field.pre_save(obj, True)
            params.append(value if value is None or type(value) in plain else field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returns:
            attname = model._meta.pk.attname
            for obj, row in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, attname, row[0])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


# Where a field's own preparation hands a value of these exact types back unchanged (None is NULL for every
# field), so it is passed as is: a demand has 55 columns, most of them empty strings, numbers or NULL, and
# preparing each through the field cost 0.86 of the 6.4 s that 200 profiled submissions took. Dates and
# times are left to the field: SQLite stores them as text.
_PLAIN_TYPES = {
    models.CharField: (str,), models.TextField: (str,), models.BooleanField: (bool,),
    models.IntegerField: (int,), models.BigIntegerField: (int,), models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,), models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,), models.ForeignKey: (int,),
}
_plain_of: dict[type, list[tuple[type, ...]]] = {}


def _plain_types(model) -> list[tuple[type, ...]]:
    kept = _plain_of.get(model)
    if kept is None:
        kept = _plain_of[model] = [_PLAIN_TYPES.get(type(field), ()) for field in _fields(model)]
    return kept


def _fields(model) -> list[models.Field]:
    """The columns an INSERT names: all concrete ones but a primary key the database assigns."""
    return [f for f in model._meta.concrete_fields if not f.generated and not (f.primary_key and f.db_returning)]


def _statement(model, connection, count: int, ignore_conflicts: bool) -> tuple[str, list[models.Field], bool]:
    key = (model, connection.alias, count, ignore_conflicts)
    kept = _statements.get(key)
    if kept is None:
        kept = _build(model, connection, count, ignore_conflicts)
        if count <= KEPT_UP_TO_ROWS:
            _statements[key] = kept
    return kept


def _build(model, connection, count: int, ignore_conflicts: bool) -> tuple[str, list[models.Field], bool]:
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"rows_append sends no signals, and {model.__name__} has receivers: save it instead")
    opts, ops = model._meta, connection.ops
    fields = _fields(model)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(opts.db_table)} "
           f"({', '.join(ops.quote_name(f.column) for f in fields)}) VALUES {', '.join([row] * count)}")
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    if suffix:
        sql += " " + suffix
    returns = (not ignore_conflicts and opts.pk.db_returning
               and connection.features.can_return_rows_from_bulk_insert)
    if returns:
        sql += f" RETURNING {ops.quote_name(opts.pk.column)}"
    return sql, fields, returns
