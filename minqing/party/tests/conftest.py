import pytest

from minqing.visits.tests.conftest import flushable_audit, reseed  # noqa: F401  (shared fixtures)


@pytest.fixture(autouse=True)
def _seeded(request):
    if request.node.get_closest_marker("django_db") is not None:
        reseed()
