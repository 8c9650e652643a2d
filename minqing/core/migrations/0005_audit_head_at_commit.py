"""The chain head follows the newest audit row by a database trigger, written once per transaction on
PostgreSQL (core/audit.py, `_append`).

Written by the appender on every row, the head row took one new row version per audit row; a transaction
that appends thousands (the demo load, a large import) made PostgreSQL walk all of them on each lock and
each update — O(n²): building the demo cost ~330 s on PostgreSQL against ~75 s on SQLite. A deferred
constraint trigger runs at commit, still under the head's row lock, and only the transaction's newest row
moves the head. SQLite updates a row in place and has no deferred triggers: its trigger runs per row.
"""
from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_auditchainhead_follow() RETURNS trigger AS $$
BEGIN
  IF NEW.id = (SELECT max(id) FROM core_auditentry) THEN
    UPDATE core_auditchainhead SET last_hash = NEW.entry_hash, last_entry_id = NEW.id WHERE id = 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER core_auditchainhead_follow AFTER INSERT ON core_auditentry
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_auditchainhead_follow();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS core_auditchainhead_follow ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditchainhead_follow();
"""
SQLITE_UP = """
CREATE TRIGGER core_auditchainhead_follow AFTER INSERT ON core_auditentry
BEGIN
  UPDATE core_auditchainhead SET last_hash = NEW.entry_hash, last_entry_id = NEW.id WHERE id = 1;
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditchainhead_follow;"


def install(apps, schema_editor):
    sql = {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    sql = {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_rate_counter")]
    operations = [migrations.RunPython(install, uninstall)]
