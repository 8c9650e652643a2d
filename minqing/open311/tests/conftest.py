import pytest
from django.core.cache import cache

from minqing.api.tests.db import audit_trail_empty_for_flush
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
    """live_server, and an audit trail the end-of-test flush may empty (see api/tests/db.py)."""
    yield live_server
    audit_trail_empty_for_flush()
