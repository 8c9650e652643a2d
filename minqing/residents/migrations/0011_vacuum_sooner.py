"""Vacuum the ledger's tables after 1 % of their rows changed instead of PostgreSQL's default 20 %.

The home page counts a community's residents and households from indexes alone (index-only scans), which
read the table only for pages the visibility map does not mark all-visible; a vacuum marks them. The
ledger changes by a few hundred rows a day, so at 1,000,000 residents the default waits for 200,000
changes: in the city benchmark 1,977 of 62,143 pages were left unmarked, and each community's count made
~2,000 heap fetches (4.5 ms of the home page's database time, 3.1 ms after a vacuum; docs/performance.md,
"tenth pass"). At 1 % a vacuum comes every ~10,000 changes, and on a table mostly marked all-visible it
only reads the pages that changed."""
from django.db import migrations

TABLES = ("residents_resident", "residents_household")
SOONER = "autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01"


def sooner(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET ({SOONER})")


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor)")


class Migration(migrations.Migration):

    dependencies = [("residents", "0010_floating_place_index")]

    operations = [migrations.RunPython(sooner, default)]
