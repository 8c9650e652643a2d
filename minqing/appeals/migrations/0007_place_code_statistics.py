"""A finer histogram of demands' place codes on PostgreSQL (1,000 buckets instead of 100).

With the default, a grid's prefix range (`place_code LIKE '500120001001005%'`, ~5,000 of 2,000,000
demands) was estimated at one row, so the planner picked the place index for a grid worker's to-do
counts and filtered all of the grid's demands: 10 ms a count, three counts per home page. With the finer
histogram it picks the (status, place) index: 0.6 ms (bench/results/city-2m.md, home_grid)."""
from django.db import migrations


def finer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appeals_appeal ALTER COLUMN place_code SET STATISTICS 1000")
        schema_editor.execute("ANALYZE appeals_appeal")  # a sample of 300,000 rows: seconds, not minutes


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appeals_appeal ALTER COLUMN place_code SET STATISTICS -1")


class Migration(migrations.Migration):

    dependencies = [("appeals", "0006_place_submitted_index")]

    operations = [migrations.RunPython(finer, default)]
