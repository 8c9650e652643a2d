"""Several counts in one query: `SELECT (SELECT COUNT(*) FROM (…)), (SELECT COUNT(*) FROM (…)), …`.

A home panel shows a handful of counts over differently filtered querysets; one round trip each made the
home page ~38 queries (issue 19). Each queryset keeps its own filters (scope included), so the figures are
exactly those of `qs.count()`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet

from .ttlcache import TtlCache


class CountSql(NamedTuple):
    """A count given as the SQL of the rows it counts, for a figure on every page (the unread badge) that
    should not pay for building and compiling a queryset each time (~0.4 ms, issue 19)."""
    sql: str
    params: tuple
    db: str


def count_sql(qs: QuerySet) -> CountSql | None:
    """The rows a count of `qs` counts, as SQL — None when nothing can match (.none(), an empty `__in`)."""
    query = qs.values("pk").query
    query.clear_ordering(force=False)  # a sliced queryset keeps the ordering its slice needs
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        return None
    return CountSql(sql, tuple(params), qs.db)


class ValueSql(NamedTuple):
    """The SQL of a select of one value (FirstOf.value), compiled."""
    sql: str
    params: tuple
    db: str


class FirstOf(NamedTuple):
    """A figure read from `value` — a queryset (or ValueSql) selecting one number, or no row when it cannot
    answer, e.g. a tally the scheduler keeps while nothing changed — else counted from `count`. In the batch it
    is `COALESCE((value), (SELECT COUNT(*) …))`: the database runs the count only when the value is missing
    (PostgreSQL evaluates a scalar subquery on first use, and COALESCE stops at its first non-null argument)."""
    value: QuerySet | ValueSql
    count: QuerySet | CountSql | None


def value_sql(qs: QuerySet) -> ValueSql:
    query = qs.query.clone()
    query.clear_ordering(force=False)  # a model's default ordering means nothing to one value
    sql, params = query.sql_with_params()
    return ValueSql(sql, tuple(params), qs.db)


def compiled(part):
    """A count's part as SQL: a queryset compiled (count_sql), a FirstOf's two sides compiled, SQL as it is."""
    if isinstance(part, FirstOf):
        value = part.value if isinstance(part.value, ValueSql) else value_sql(part.value)
        count = part.count if part.count is None or isinstance(part.count, CountSql) else count_sql(part.count)
        return FirstOf(value, count)
    return part if part is None or isinstance(part, CountSql) else count_sql(part)


def _selected(part: CountSql | FirstOf, index: int) -> tuple[str, tuple]:
    if isinstance(part, CountSql):
        return f"(SELECT COUNT(*) FROM ({part.sql}) AS counted_{index})", part.params
    if part.count is None:
        return f"COALESCE(({part.value.sql}), 0)", part.value.params
    return (f"COALESCE(({part.value.sql}), (SELECT COUNT(*) FROM ({part.count.sql}) AS counted_{index}))",
            part.value.params + part.count.params)


def count_all(querysets: dict[str, QuerySet | CountSql | FirstOf | None]) -> dict[str, int]:
    """name → qs.count() for every queryset (or CountSql, or FirstOf; None counts 0), in one query (per database)."""
    out: dict[str, int] = {}
    by_db: dict[str, list[tuple[str, str, tuple]]] = {}
    for name, qs in querysets.items():
        part = compiled(qs)
        if part is None:
            out[name] = 0
            continue
        db = part.db if isinstance(part, CountSql) else part.value.db
        by_db.setdefault(db, []).append((name, *_selected(part, len(by_db.get(db, ())))))
    for db, parts in by_db.items():
        select = ", ".join(sql for _n, sql, _p in parts)
        with connections[db].cursor() as cursor:
            cursor.execute(f"SELECT {select}", [p for _n, _s, params in parts for p in params])
            row = cursor.fetchone()
        out.update({name: int(value) for (name, _s, _p), value in zip(parts, row)})
    return {name: out[name] for name in querysets}


class DeferredCount:
    """A count taken later, in one query with every other deferred count of the request.

    The home page's panels each declare a few counts while their contexts are built; the template reads
    them only afterwards, so the first one read runs a single `count_all` over all of them (issue 19: one
    query instead of one per panel). It reads like the int it stands for: str, format, bool, int(),
    comparisons and arithmetic."""

    __slots__ = ("_batch", "_index")

    def __init__(self, batch: CountBatch, index: int):
        self._batch, self._index = batch, index

    def value(self) -> int:
        return self._batch.value(self._index)

    def __int__(self):
        return self.value()

    __index__ = __int__

    def __float__(self):
        return float(self.value())

    def __bool__(self):
        return bool(self.value())

    def __str__(self):
        return str(self.value())

    def __repr__(self):
        return f"DeferredCount({self.value()})"

    def __format__(self, spec):
        return format(self.value(), spec)

    def __hash__(self):
        return hash(self.value())

    def __eq__(self, other):
        return self.value() == _plain(other)

    def __lt__(self, other):
        return self.value() < _plain(other)

    def __le__(self, other):
        return self.value() <= _plain(other)

    def __gt__(self, other):
        return self.value() > _plain(other)

    def __ge__(self, other):
        return self.value() >= _plain(other)

    def __add__(self, other):
        return self.value() + _plain(other)

    __radd__ = __add__

    def __sub__(self, other):
        return self.value() - _plain(other)

    def __rsub__(self, other):
        return _plain(other) - self.value()

    def __mul__(self, other):
        return self.value() * _plain(other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self.value() / _plain(other)

    def __rtruediv__(self, other):
        return _plain(other) / self.value()


def _plain(value):
    return value.value() if isinstance(value, DeferredCount) else value


class CountBatch:
    """The deferred counts of one request: counted together on the first read."""

    def __init__(self):
        self._pending: dict[int, QuerySet | CountSql | FirstOf | None] = {}
        self._values: dict[int, int] = {}
        self._when_counted: list[Callable[[], None]] = []

    def add(self, qs: QuerySet | CountSql | FirstOf | None) -> DeferredCount:
        index = len(self._pending) + len(self._values)
        self._pending[index] = qs
        return DeferredCount(self, index)

    def value(self, index: int) -> int:
        if index not in self._values:
            pending, self._pending = self._pending, {}
            callbacks, self._when_counted = self._when_counted, []
            self._values.update(count_all(pending))
            for callback in callbacks:
                callback()
        return self._values[index]

    def when_counted(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the counts added so far have been counted (to keep them: kept_counts)."""
        self._when_counted.append(callback)

    def count_later(self, querysets: dict[str, QuerySet | CountSql | FirstOf | None]) -> dict[str, DeferredCount]:
        """Like count_all, but the numbers are counted when first read, with the rest of the batch."""
        return {name: self.add(qs) for name, qs in querysets.items()}


# Count statements kept per (panel, user) for a minute (see kept_count_sql); a panel's statements are a few
# kilobytes, so at most 5,000 of them (a thousand users' home pages) stay in a process
_KEPT_SQL = TtlCache("count statements", ttl=60, max_items=5000)


def kept_count_sql(name: str, actor, querysets: Callable[[], dict[str, QuerySet | FirstOf]]
                   ) -> dict[str, CountSql | FirstOf | None]:
    """The SQL of a home panel's counts, compiled once a minute per user: building and compiling the panels'
    querysets cost about as much CPU as the database spent counting them (issue 19). The counting still runs on
    every request, so new rows show at once; only a `now` inside the querysets (an overdue cut-off) may lag
    by up to the minute. A change to the user's grants clears the kept statements (core.ttlcache.watch).

    The statements name the database they were compiled for, so the key holds the one reads go to now:
    inside `replica_reads()` a panel counts on the replica, outside on the primary, never the other's."""
    reads_from = router.db_for_read(type(actor))
    return _KEPT_SQL.get((name, actor.pk, reads_from),
                         lambda: {label: compiled(qs) for label, qs in querysets().items()})


def request_counts(request) -> CountBatch:
    """The request's batch of deferred counts (one per request, made on first use)."""
    batch = getattr(request, "_minqing_count_batch", None)
    if batch is None:
        batch = request._minqing_count_batch = CountBatch()
    return batch
