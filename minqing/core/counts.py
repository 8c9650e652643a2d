"""Several counts in one query: `SELECT (SELECT COUNT(*) FROM (…)), (SELECT COUNT(*) FROM (…)), …`.

A home panel shows a handful of counts over differently filtered querysets; one round trip each made the
home page ~38 queries (issue 19). Each queryset keeps its own filters (scope included), so the figures are
exactly those of `qs.count()`.
"""
from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_all(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """name → qs.count() for every queryset, in one query (per database)."""
    out: dict[str, int] = {}
    by_db: dict[str, list[tuple[str, str, tuple]]] = {}
    for name, qs in querysets.items():
        query = qs.values("pk").query
        query.clear_ordering(force=False)  # a sliced queryset keeps the ordering its slice needs
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter that can match nothing
            out[name] = 0
            continue
        by_db.setdefault(qs.db, []).append((name, sql, params))
    for db, parts in by_db.items():
        select = ", ".join(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})" for i, (_n, sql, _p) in enumerate(parts))
        with connections[db].cursor() as cursor:
            cursor.execute(f"SELECT {select}", [p for _n, _s, params in parts for p in params])
            row = cursor.fetchone()
        out.update({name: int(value) for (name, _s, _p), value in zip(parts, row)})
    return {name: out[name] for name in querysets}
