"""After a load the planner has statistics (demo.builders.refresh_planner_statistics): without them PostgreSQL
planned the English walk's pages over the demo for minutes (docs/performance.md, "tenth pass")."""
import pytest
from django.db import connection

from minqing.demo.builders import refresh_planner_statistics
from minqing.residents.tests.factories import HouseholdFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")]


def test_after_a_load_the_planner_knows_the_rows_the_load_wrote(tree):
    HouseholdFactory.create_batch(300, building=tree["building_a1"])
    refresh_planner_statistics()  # inside the test's transaction, as in the English walk over the demo
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'residents_household'")
        assert cursor.fetchone()[0] >= 300
