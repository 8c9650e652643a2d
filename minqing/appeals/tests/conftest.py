import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import PartnerUnitFactory, user_with_role
from minqing.workdays.calendar import calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def heating(tree):
    """A heating company serving the street, with one login; and a second unit that must see nothing."""
    unit = PartnerUnitFactory(name="渝阳供热站", service_area=tree["street"])
    other = PartnerUnitFactory(name="安居物业公司", service_area=tree["community_a"])
    return {
        "unit": unit, "user": user_with_role(Role.PARTNER_UNIT, tree["street"], partner_unit=unit, username="t_heat"),
        "other_unit": other,
        "other_user": user_with_role(Role.PARTNER_UNIT, tree["community_a"], partner_unit=other, username="t_prop"),
    }


@pytest.fixture(autouse=True)
def _seeded(request):
    """The calendar and the default taxonomy come from data migrations; a transactional test's flush
    (ours or another app's, earlier in the same worker) removes them, so put them back if missing."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from minqing.appeals.default_taxonomy import seed_default
    from minqing.appeals.taxonomy import Category, ServiceLevel
    from minqing.workdays.models import CalendarDay, CalendarYear
    from minqing.workdays.seed import seed_from_package

    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)
    seed_default(Category, ServiceLevel)


@pytest.fixture
def flushable_audit():
    """For transactional tests: the teardown flush deletes every row, which the audit trail's SQLite
    trigger refuses (PostgreSQL's flush TRUNCATEs, which row triggers do not see). Empty the audit
    table with the trigger lifted for that one statement."""
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "sqlite":
        triggers = import_module("minqing.core.migrations.0002_audit_append_only")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
            cursor.execute("DELETE FROM core_auditentry")
            cursor.execute(triggers.SQLITE_UP[1])


@pytest.fixture
def file_database(flushable_audit):
    """Real concurrent transactions need a database two connections can open at once: PostgreSQL in CI,
    or a SQLite file. Django's in-memory SQLite test database is shared-cache, where a second writer
    fails at once ("table is locked") instead of waiting, so on it the cases are run by
    test_concurrency_on_a_sqlite_file in a subprocess with concurrency_settings (a file database and
    the settings' IMMEDIATE transactions, under which the second writer waits for the first)."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: run through test_concurrency_on_a_sqlite_file")
