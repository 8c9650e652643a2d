"""After a load the planner has statistics (demo.builders.refresh_planner_statistics): without them PostgreSQL
planned the English walk's pages over the demo for minutes (docs/performance.md, "tenth pass"); during the load
no statement keeps a plan made while the tables were empty (plans_per_statement, "eleventh pass")."""
import pytest
from django.db import connection

from minqing.demo.builders import plans_per_statement, refresh_planner_statistics
from minqing.residents.tests.factories import HouseholdFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")]


def test_after_a_load_the_planner_knows_the_rows_the_load_wrote(tree):
    HouseholdFactory.create_batch(300, building=tree["building_a1"])
    refresh_planner_statistics()  # inside the test's transaction, as in the English walk over the demo
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'residents_household'")
        assert cursor.fetchone()[0] >= 300


def _prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_while_the_demo_is_built_no_statement_is_prepared(tree):
    from minqing.places.models import Place

    if connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None:
        pytest.skip("this database runs without prepared statements (DATABASE_PREPARED_STATEMENTS=0)")
    before = _prepared_statements()
    with plans_per_statement():
        for _ in range(8):  # past the threshold of five
            Place.objects.filter(kind="community").count()
    assert _prepared_statements() == before
    for _ in range(8):  # and the connection prepares again afterwards
        Place.objects.filter(kind="community").count()
    assert _prepared_statements() > before
