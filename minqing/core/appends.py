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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, models, router
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
    queue = _queue_of(connection)
    if queue is not None and len(objs) <= KEPT_UP_TO_ROWS:
        queue.parts.append((model, objs, ignore_conflicts))
        return objs
    fields = _fields(model)
    per_batch = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), per_batch):
        _insert(model, connection, objs[start:start + per_batch], ignore_conflicts)
    return objs


def _insert(model, connection, objs: list[models.Model], ignore_conflicts: bool) -> None:
    sql, fields, returns = _statement(model, connection, len(objs), ignore_conflicts)
    params = _params(model, connection, fields, objs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returns:
            _keys_set(model, objs, (row[0] for row in cursor.fetchall()))
    _saved(connection, objs)


def _params(model, connection, fields: list[models.Field], objs: list[models.Model]) -> list:
    params, plain_types = [], _plain_types(model)
    for obj in objs:
        for field, plain in zip(fields, plain_types, strict=True):
            value = field.pre_save(obj, True)
            params.append(value if value is None or type(value) in plain else field.get_db_prep_save(value, connection))
    return params


def _keys_set(model, objs: list[models.Model], keys) -> None:
    attname = model._meta.pk.attname
    for obj, key in zip(objs, keys, strict=True):
        setattr(obj, attname, key)


def _saved(connection, objs: list[models.Model]) -> None:
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


# --- rows of one write sent together ------------------------------------------------------------------------
#
# A submission appends six rows to six tables (issue 19): a statement each cost ~0.2 ms of client CPU in
# Django's cursor and psycopg whatever its size, and the database's per-statement work besides. Inside
# `joined()` the rows queue on the connection and go as one statement — on PostgreSQL the INSERTs as the
# parts of one WITH (each part's keys come back tagged with its place), elsewhere one INSERT per part as
# before. The queue is sent before any other statement the connection runs (a read inside the block sees the
# rows; a savepoint is taken after them, so rolling back to it drops only what came later) and at the
# block's end. What a caller must not do inside the block is read the key of a row it has just appended: it
# is set when the queue is sent (`send_now` sends it at once).


class _Queue:
    def __init__(self):
        self.parts: list[tuple[type[models.Model], list[models.Model], bool]] = []
        self.held = 0  # > 0: statements that cannot see the queued rows run without sending them first


def _queue_of(connection) -> _Queue | None:
    return getattr(connection, "_minqing_appends", None)


@contextmanager
def joined(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Send the rows appended inside the block together (see above). Only inside a transaction (outside one
    the rows go one by one, as without the block): rows still queued when an exception leaves the block are
    dropped, and the transaction the exception rolls back drops what was sent. Nested blocks join the outer."""
    connection = connections[using]
    if _queue_of(connection) is not None or not connection.in_atomic_block:
        yield
        return
    queue = connection._minqing_appends = _Queue()
    try:
        with connection.execute_wrapper(_sending_first(connection, queue)):
            yield
            send_now(connection)
    finally:
        connection._minqing_appends = None


@contextmanager
def held(connection) -> Iterator[None]:
    """Run statements without sending the queue first — for a read that cannot depend on the queued rows
    (the audit chain's head: audit rows are never queued past their own append), so it does not cost a round
    trip of its own."""
    queue = _queue_of(connection)
    if queue is not None:
        queue.held += 1
    try:
        yield
    finally:
        if queue is not None:
            queue.held -= 1


def send_now(connection) -> None:
    """Send the queued rows (nothing outside `joined()`)."""
    queue = _queue_of(connection)
    if queue is None or not queue.parts:
        return
    parts, queue.parts = queue.parts, []
    queue.held += 1  # the statements below must not send the queue again
    try:
        if len(parts) == 1 or connection.vendor != "postgresql":
            for model, objs, ignore_conflicts in parts:
                _insert(model, connection, objs, ignore_conflicts)
        else:
            _insert_together(connection, parts)
    finally:
        queue.held -= 1


def _sending_first(connection, queue: _Queue):
    def wrapper(execute, sql, params, many, context):
        if queue.parts and not queue.held:
            send_now(connection)
        return execute(sql, params, many, context)
    return wrapper


_together: dict[tuple, tuple[str, list[list[models.Field]], list[bool]]] = {}


def _insert_together(connection, parts: list[tuple[type[models.Model], list[models.Model], bool]]) -> None:
    """PostgreSQL: every part an INSERT in one WITH; the keys of the parts that return them come back as
    (part, key) rows, a part's keys in its rows' order (as Django's bulk_create relies on)."""
    key = tuple((model, len(objs), ignore_conflicts) for model, objs, ignore_conflicts in parts)
    kept = _together.get(key)
    if kept is None:
        kept = _together[key] = _build_together(connection, key)
    sql, fields_per_part, returns_per_part = kept
    params = []
    for (model, objs, _ignore), fields in zip(parts, fields_per_part, strict=True):
        params += _params(model, connection, fields, objs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys: dict[int, list] = {}
        for index, pk in cursor.fetchall():
            keys.setdefault(index, []).append(pk)
    for index, ((model, objs, _ignore), returns) in enumerate(zip(parts, returns_per_part, strict=True)):
        if returns:
            _keys_set(model, objs, keys.get(index, []))
        _saved(connection, objs)


def _build_together(connection, key: tuple) -> tuple[str, list[list[models.Field]], list[bool]]:
    ctes, selects, fields_per_part, returns_per_part = [], [], [], []
    for index, (model, count, ignore_conflicts) in enumerate(key):
        sql, fields, returns = _statement(model, connection, count, ignore_conflicts)
        ctes.append(f"part{index} AS ({sql})")
        if returns:
            selects.append(f"SELECT {index}, {connection.ops.quote_name(model._meta.pk.column)} FROM part{index}")
        fields_per_part.append(fields)
        returns_per_part.append(returns)
    main = " UNION ALL ".join(selects) or "SELECT 0, 0 WHERE false"
    if len(_together) > 200:  # shapes are few (a write's own mix of rows); never let an odd caller grow it
        _together.clear()
    return f"WITH {', '.join(ctes)} {main}", fields_per_part, returns_per_part


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
