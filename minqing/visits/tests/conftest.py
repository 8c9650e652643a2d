import pytest


def reseed():
    """Rows that data migrations put in (care tags, visit cycles, the demands app's taxonomy and the
    working-day calendar) are wiped by a transactional test's flush, ours or another app's earlier in
    the same worker: put them back when missing, so each test sees the database `migrate` makes."""
    from django.apps import apps as django_apps

    from minqing.residents.care_tags import DEFAULT_CARE_TAGS
    from minqing.residents.models import CareTag
    from minqing.visits.models import VisitCycle

    if not CareTag.objects.exists():
        for order, (code, name, cycle, description) in enumerate(DEFAULT_CARE_TAGS, start=1):
            CareTag.objects.get_or_create(code=code, defaults={"name": name, "visit_cycle_days": cycle,
                                                               "description": description, "sort_order": order * 10})
    if not VisitCycle.objects.exists():
        VisitCycle.objects.create(interval_days=90)
        for tag in CareTag.objects.exclude(visit_cycle_days=None).filter(visit_cycle_days__lt=90):
            VisitCycle.objects.create(tag=tag, interval_days=tag.visit_cycle_days)
    if django_apps.is_installed("minqing.appeals"):
        from minqing.appeals.default_taxonomy import seed_default
        from minqing.appeals.taxonomy import Category, ServiceLevel
        from minqing.workdays.calendar import calendar_cache_clear
        from minqing.workdays.models import CalendarDay, CalendarYear
        from minqing.workdays.seed import seed_from_package

        if not CalendarYear.objects.exists():
            seed_from_package(CalendarYear, CalendarDay)
            calendar_cache_clear()
        seed_default(Category, ServiceLevel)


@pytest.fixture(autouse=True)
def _seeded(request):
    if request.node.get_closest_marker("django_db") is not None:
        reseed()


@pytest.fixture
def flushable_audit():
    """The teardown flush of a transactional test deletes every row, which the audit trail's SQLite
    trigger refuses (PostgreSQL's flush TRUNCATEs, which row triggers do not see): empty the audit
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
