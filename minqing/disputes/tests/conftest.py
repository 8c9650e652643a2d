import pytest

from .factories import dispute_in


@pytest.fixture
def make_dispute(tree, actors):
    """make_dispute(status, **extra): a dispute in grid A1 reported by the community worker."""
    def make(status, **extra):
        extra.setdefault("place", tree["grid_a1"])
        return dispute_in(status, reporter=actors["worker"], leader=actors["secretary"], staff=actors["worker"],
                          **extra)
    return make


@pytest.fixture
def flushable_audit():
    """For transactional (browser) tests: the teardown flush deletes every row, which the audit trail's
    SQLite trigger refuses; empty it with the trigger lifted for that one statement (as api/tests does)."""
    yield
    from minqing.api.tests.db import audit_trail_empty_for_flush

    audit_trail_empty_for_flush()
