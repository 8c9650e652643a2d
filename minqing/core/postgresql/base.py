"""Django's PostgreSQL backend, keeping prepared only the statements whose plan does not hang on the values.

With server-side binding, psycopg prepares a statement once it has run five times on a connection, and
PostgreSQL may then reuse one generic plan for every later run. That is the gain (the demand page's seven-
table select is planned once per connection, not on every view), and also the risk: a generic plan is
chosen from estimates made without the values. For a scope filter, `place_code LIKE $1`, the estimate is a
fixed guess (0.5 % of the rows), so a plan fit for a community's demands was reused for a whole street's
(250,000 of 2,000,000): the street's demand list cost 25 → 42 ms of database CPU and the monthly report
60 → 128 ms (docs/performance.md, "Issue 19, fifth pass"). Statements with a LIKE are therefore parsed
and planned for their values on every run, as before, unless they also pin their rows by primary key;
every other statement is prepared as psycopg decides.
"""
import re

from django.db.backends.postgresql import base


# A row pinned by its primary key (`"id" = %s`, `"id" IN (…)`) keeps a generic plan cheap whatever the LIKE
# says: the demand page's own select is one of those, and the one that gains most from being prepared.
_PINNED_BY_KEY = re.compile(r'\."id" (?:= %s|IN \()')


def _plan_depends_on_values(query) -> bool:
    return isinstance(query, str) and " LIKE " in query and not _PINNED_BY_KEY.search(query)


class ScopeAwareCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and _plan_depends_on_values(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ScopeAwareCursor
        return params
