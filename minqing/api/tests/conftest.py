import pytest
from django.core.cache import cache

from minqing.api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bearer():
    """bearer(user, access="write") → headers dict carrying a fresh personal token of that user."""
    def make(user, access="write", expires_in_days=90):
        _token, raw = api_token_create(actor=user, name="测试", access=access, expires_in_days=expires_in_days)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


@pytest.fixture
def flushable_audit():
    """Use in transactional tests that write audit rows (see db.py)."""
    yield
    from .db import audit_trail_empty_for_flush

    audit_trail_empty_for_flush()
