"""`field__under=prefix`: the rows whose value starts with `prefix` — a place code's subtree, the scope filter.

On PostgreSQL it is written as the range that `LIKE 'prefix%'` becomes inside an index scan,
`col ~>=~ 'prefix' AND col ~<~ 'prefiy'` (the same pattern-ops index, the same plan), because estimating a LIKE
is what costs: with a 1,000-bucket histogram (appeals.place_code, migration appeals/0007) the planner applies
the pattern to every bucket and every common value — planning a to-do count on demands took ~0.85 ms with the
LIKE, 0.37 ms with the range, and the home page's count query carries seven (docs/performance.md, "twelfth
pass"). A range is estimated by a binary search of the same histogram, with interpolation inside a bucket, so a
grid's narrow prefix keeps its estimate (checked with EXPLAIN). Elsewhere (SQLite) it is `startswith`.
"""
from django.db.models import CharField, TextField
from django.db.models.lookups import StartsWith


def prefix_successor(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (its last character + 1)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class Under(StartsWith):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, str) or not self.rhs:
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return (f"({lhs}::text ~>=~ %s AND {lhs}::text ~<~ %s)",
                (*lhs_params, self.rhs, *lhs_params, prefix_successor(self.rhs)))


CharField.register_lookup(Under)
TextField.register_lookup(Under)
