import pytest

from minqing.visits.tests.conftest import flushable_audit, reseed  # noqa: F401  (a fixture, shared)


@pytest.fixture(autouse=True)
def _seeded(request):
    """Transactional tests (concurrency, browser) flush the data migrations' rows: put them back."""
    if request.node.get_closest_marker("django_db") is not None:
        reseed()
