import pytest

from minqing.visits.tests.conftest import flushable_audit, reseed  # noqa: F401  (a fixture, shared)

from .factories import activity_of, team_in


@pytest.fixture
def team(tree, actors):
    return team_in(tree["community_a"], actors["worker"])


@pytest.fixture
def activity(team, actors):
    return activity_of(team, actors["worker"])


@pytest.fixture(autouse=True)
def _seeded(request):
    """Transactional tests (concurrency) flush the data migrations' rows: put them back."""
    if request.node.get_closest_marker("django_db") is not None:
        reseed()
