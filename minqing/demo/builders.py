"""The demo community is built by each app's own `demo.py`, in dependency order.

Each module exposes `build(ctx: DemoContext) -> None` and may read what earlier builders put on the
context (places, accounts, residents …). Everything is seeded from one number, so two runs give the
same community.
"""
from __future__ import annotations

import importlib
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

# Apps add their builder here, after the apps they depend on.
BUILDER_MODULES = [
    "minqing.places.demo",
    "minqing.accounts.demo",
    "minqing.residents.demo",
    "minqing.appeals.demo",
    "minqing.insight.demo",  # trains the community category model from the demo's closed demands
    "minqing.disputes.demo",
    "minqing.alerts.demo",  # runs the warning rules over the demands and disputes above
    "minqing.visits.demo",
    "minqing.welfare.demo",
    "minqing.meetings.demo",  # after appeals: opinions become demands through its service
    "minqing.party.demo",
    "minqing.disclosure.demo",
    "minqing.volunteers.demo",
    "minqing.surveys.demo",  # after appeals: rates the demo's handlers
    "minqing.training.demo",  # policy answers suggested on the demands loaded above
    "minqing.dashboard.demo",  # after every app that loads demands
    "minqing.assessment.demo",  # reads every other app's records
]


@dataclass
class DemoContext:
    seed: int = 20261123
    scale: int = 1  # 1 = one mining community of ~8,000 residents
    random: random.Random = field(init=False)
    shared: dict = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, what it shows)
    log: callable = print

    def __post_init__(self):
        self.random = random.Random(self.seed)


def builders():
    for name in BUILDER_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Skip an app that is not built yet; re-raise a real import error inside a builder.
            if not name.startswith(exc.name or "?"):
                raise


@contextmanager
def plans_per_statement(using: str = "default"):
    """While the demo is built, PostgreSQL plans every statement for its values instead of preparing it.

    A statement run five times on a connection is prepared (settings.PREPARED_STATEMENTS), and its generic
    plan is chosen from the tables as they are then: nearly empty at the start of a load. Inside the one
    transaction that builds the demo no statistics change, so those plans stayed — sequential scans of
    tables growing to thousands of rows, repeated for every row added: 204 → 165 s for `demo_load` on
    PostgreSQL (docs/performance.md, "eleventh pass"). A fresh plan costs a little each time and is never
    that wrong. SQLite has nothing to turn off."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    kept, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        yield
    finally:
        raw.prepare_threshold = kept


def refresh_planner_statistics(using: str = "default") -> None:
    """ANALYZE after loading, on PostgreSQL: it plans by each table's statistics, and a freshly loaded community
    has none until autovacuum's next round. Without them it chose nested loops over thousands of rows that held
    a page for minutes (the English walk over the demo held CI until its time ran out, docs/performance.md,
    "tenth pass"). Inside a transaction it counts that transaction's own rows, so a test can call it too."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
