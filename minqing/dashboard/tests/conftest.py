import pytest


@pytest.fixture
def flushable_audit():
    """For transactional (browser) tests that write audit rows: the teardown flush deletes every row,
    which the audit trail's SQLite trigger refuses; empty it with the trigger lifted (see api/tests/db.py)."""
    yield
    from minqing.api.tests.db import audit_trail_empty_for_flush

    audit_trail_empty_for_flush()


@pytest.fixture(autouse=True)
def _default_taxonomy(request):
    """The data migration seeds the default categories; a transactional test's flush removes them
    for the tests after it, so put them back (a no-op when present)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
        from minqing.appeals.default_taxonomy import seed_default
        from minqing.appeals.taxonomy import Category, ServiceLevel

        seed_default(Category, ServiceLevel)
    yield
