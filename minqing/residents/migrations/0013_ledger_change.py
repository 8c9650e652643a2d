"""Residents and households note their community in `LedgerChange` on every insert, update and delete, by a
database trigger (models.LedgerChange, residents/tally.py).

A community's home panel reads the scheduler's tally instead of counting ~20,000 residents on every visit (~8 ms
of database time at city scale) — but only while nothing in the community changed since it was counted, so the
figures stay exact. Triggers rather than the services, so an import, a bulk update or a future write path cannot
change the figures unnoticed. PostgreSQL: one statement-level trigger per table and operation, reading the
statement's transition tables (a bulk update notes each community once, not once per row); SQLite: per row.

The community is the row's place code cut to a community's length, 12 (places.models.KIND_SHAPE); a row above a
community keeps its shorter code, as in the tally.
"""
from django.db import migrations, models

COMMUNITY_LENGTH = 12
TABLES = ("residents_resident", "residents_household")

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION residents_ledger_note_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO residents_ledgerchange (place_code)
      SELECT DISTINCT substr(place_code, 1, {COMMUNITY_LENGTH}) FROM changed_new;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO residents_ledgerchange (place_code)
      SELECT DISTINCT substr(place_code, 1, {COMMUNITY_LENGTH}) FROM changed_old;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
# A trigger with transition tables may name one event only: three per table.
POSTGRES_REFERENCING = {"INSERT": "NEW TABLE AS changed_new",
                        "UPDATE": "NEW TABLE AS changed_new OLD TABLE AS changed_old",
                        "DELETE": "OLD TABLE AS changed_old"}


def _postgres_up() -> list[str]:
    return [POSTGRES_FUNCTION] + [
        f"CREATE TRIGGER {table}_ledger_{event.lower()} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION residents_ledger_note_change();"
        for table in TABLES for event, referencing in POSTGRES_REFERENCING.items()]


def _postgres_down() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_ledger_{event.lower()} ON {table};"
            for table in TABLES for event in POSTGRES_REFERENCING] + [
        "DROP FUNCTION IF EXISTS residents_ledger_note_change();"]


def _sqlite_note(row: str) -> str:
    # One row per write, even when the community is already noted: the job drops only the rows it read before
    # counting, so a write that lands after that read must leave a row of its own.
    return f"INSERT INTO residents_ledgerchange (place_code) VALUES (substr({row}.place_code, 1, {COMMUNITY_LENGTH}));"


SQLITE_ROWS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def _sqlite_up() -> list[str]:
    return [f"CREATE TRIGGER {table}_ledger_{event.lower()} AFTER {event} ON {table} BEGIN "
            + " ".join(_sqlite_note(row) for row in rows) + " END;"
            for table in TABLES for event, rows in SQLITE_ROWS.items()]


def _sqlite_down() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_ledger_{event.lower()};" for table in TABLES for event in SQLITE_ROWS]


def install(apps, schema_editor):
    for statement in {"postgresql": _postgres_up, "sqlite": _sqlite_up}.get(schema_editor.connection.vendor,
                                                                           list)():
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in {"postgresql": _postgres_down, "sqlite": _sqlite_down}.get(schema_editor.connection.vendor,
                                                                               list)():
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0012_ledger_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place_code', models.CharField(db_index=True, max_length=20, verbose_name='地点编码')),
            ],
            options={
                'verbose_name': '台账变动',
                'verbose_name_plural': '台账变动',
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
