"""For transactional tests (live server, threads): let the end-of-test flush empty the audit trail.

The flush deletes every row, which the audit trail's SQLite trigger refuses (PostgreSQL flushes with
TRUNCATE, which row triggers do not see). We delete the audit rows with the trigger lifted for that
one statement and put the trigger back, so later tests still see an append-only table."""
from importlib import import_module

from django.db import connection


def audit_trail_empty_for_flush() -> None:
    if connection.vendor != "sqlite":
        return
    triggers = import_module("minqing.core.migrations.0002_audit_append_only")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
        cursor.execute("DELETE FROM core_auditentry")
        cursor.execute(triggers.SQLITE_UP[1])
