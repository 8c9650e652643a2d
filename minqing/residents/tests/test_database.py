"""What the home page's ledger counts need from PostgreSQL (docs/performance.md, "tenth pass"): an index that
holds only the living floating residents, and tables vacuumed often enough for index-only scans."""
import pytest
from django.db import connection

from minqing.core.counts import count_sql
from minqing.residents import selectors

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner and storage options")]


def test_the_floating_count_can_read_the_floating_index_alone(actors, ledger):
    floating = count_sql(selectors.ledger_count_querysets(actor=actors["worker"])["floating"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is small enough to scan
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({floating.sql}) AS counted", floating.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "residents_res_floating_idx" in plan, plan


def test_the_ledger_tables_are_vacuumed_after_one_percent_of_changes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname IN ('residents_resident', "
                       "'residents_household')")
        options = dict(cursor.fetchall())
    for table in ("residents_resident", "residents_household"):
        assert "autovacuum_vacuum_scale_factor=0.01" in options[table], table
        assert "autovacuum_vacuum_insert_scale_factor=0.01" in options[table], table
