import pytest

from minqing.visits.tests.conftest import flushable_audit, reseed  # noqa: F401  (a fixture, shared)


@pytest.fixture(autouse=True)
def _seeded(request):
    if request.node.get_closest_marker("django_db") is not None:
        reseed()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The objection form's per-address hourly limit lives in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
