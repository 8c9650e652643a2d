"""Django's PostgreSQL backend, keeping prepared only the statements whose plan does not hang on the values.

With server-side binding, psycopg prepares a statement once it has run five times on a connection, and
PostgreSQL may then reuse one generic plan for every later run. That is the gain (the demand page's seven-
table select is planned once per connection, not on every view), and also the risk: a generic plan is
chosen from estimates made without the values. For a scope filter, `place_code LIKE $1`, the estimate is a
fixed guess (0.5 % of the rows): close enough for a community (1–2 % of a city's demands) or anything
smaller, far off for a street (12 %) or a district. Prepared for everything, a plan fit for a community was
reused for a whole street: the street's demand list cost 25 → 42 ms of database CPU and the monthly report
60 → 128 ms (docs/performance.md, "Issue 19, fifth pass").

So a run whose LIKE (or scope range, core/lookups.py) covers more than a community — a street's or a
district's prefix, or a search for text anywhere in a value (`%name%`) — is parsed and planned for its
values, unprepared, unless the statement pins its rows by primary key (`"id" = %s`, `"id" IN (…)`: a generic
plan stays cheap whatever the LIKE says; the demand page's own select is one). Everything else, a
community's and a grid's scopes included, is prepared as psycopg decides.
"""
import re

from django.db.backends.postgresql import base
from psycopg import _queries

# psycopg keeps the parsed form of a statement (where its placeholders are) only for statements with at
# most 50 parameters, against one-off multi-row INSERTs flooding its cache (psycopg discussion 628). A
# demand's INSERT has 54 — one per column — and is the same statement on every submission: parsed afresh
# each time, ~0.2 ms of every submission's CPU. The kept forms are an LRU of 128 statements, so a bound a
# little above our widest table only lets a few more statements in (tested: core/tests/test_prepared_statements.py).
STATEMENT_PARAMS_KEPT = 64
_queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, STATEMENT_PARAMS_KEPT)


# The length of the narrowest scope prefix whose generic plan is trusted (a community's code and LIKE's
# "%"). The place tree lies above this layer, so the places app sets it in its ready(); until then every
# LIKE counts as wide and runs unprepared.
narrow_prefix_length: int | None = None


def scope_prefix_register(community_code_length: int) -> None:
    global narrow_prefix_length
    narrow_prefix_length = community_code_length + 1


def _wide_pattern(value) -> bool:
    return isinstance(value, str) and value.endswith("%") and (
        value.startswith("%") or narrow_prefix_length is None or len(value) < narrow_prefix_length)


_PINNED_BY_KEY = re.compile(r'\."id" (?:= %s|IN \()')
# The scope filter's range form (core/lookups.py, `__under`): `col ~>=~ %s AND col ~<~ %s`, the first value the
# prefix itself. Placeholders are told from escaped percent signs ("%%") by reading them in order.
_RANGE_FROM = "~>=~ %s"
_PLACEHOLDER = re.compile(r"%%|%s")


def _wide_prefix(value) -> bool:
    return isinstance(value, str) and (narrow_prefix_length is None or len(value) < narrow_prefix_length - 1)


def _wide_range(query: str, values) -> bool:
    position = 0
    for match in _PLACEHOLDER.finditer(query):
        if match.group() == "%%":
            continue
        if query.endswith("~>=~ ", 0, match.start()) and position < len(values) and _wide_prefix(values[position]):
            return True
        position += 1
    return False


def _plan_depends_on_values(query, params) -> bool:
    if not isinstance(query, str) or (" LIKE " not in query and _RANGE_FROM not in query) \
            or _PINNED_BY_KEY.search(query):
        return False
    values = list(params.values()) if isinstance(params, dict) else list(params or ())
    return (" LIKE " in query and any(_wide_pattern(value) for value in values)) or (
        _RANGE_FROM in query and not isinstance(params, dict) and _wide_range(query, values))


class ScopeAwareCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and _plan_depends_on_values(query, params):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ScopeAwareCursor
        return params
