import pytest
from django.core.cache import cache

from minqing.appeals.taxonomy import Category
from minqing.open311.services import open311_key_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(db):
    """A second-level category: the service_code clients file under. Made here, not taken from the
    seeded taxonomy, because a transactional test's flush removes migration-seeded rows."""
    top, _ = Category.objects.get_or_create(parent=None, name="市政设施")
    child, _ = Category.objects.get_or_create(parent=top, name="路灯照明")
    return child


@pytest.fixture
def app_key(tree):
    """A key for a residents' app: no user, submits like the public page."""
    return open311_key_create(actor="test", name="市民随手拍")[1]


@pytest.fixture
def hotline_key(actors):
    """A key bound to the street's account, filing transfers from the city hotline."""
    return open311_key_create(actor="test", name="12345 热线", user=actors["street"], channel="transfer")[1]


@pytest.fixture
def live_site(live_server):
    """live_server, plus a way out for its teardown: the flush of a transactional test deletes every
    row, which the audit trail's SQLite trigger refuses (PostgreSQL's flush TRUNCATEs, which row
    triggers do not see). We empty the audit table with the trigger lifted for that one statement."""
    yield live_server
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "sqlite":
        triggers = import_module("minqing.core.migrations.0002_audit_append_only")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
            cursor.execute("DELETE FROM core_auditentry")
            cursor.execute(triggers.SQLITE_UP[1])
