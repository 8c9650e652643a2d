import pytest

from minqing.visits.tests.conftest import flushable_audit, reseed  # noqa: F401  (a fixture, shared)

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role

from .factories import dibao_programme, household_with_members


@pytest.fixture
def welfare(tree, actors):
    """A programme over the street, a household in building A1, and a second community worker."""
    worker2 = user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_worker2")
    household, members = household_with_members(tree["building_a1"])
    return {"programme": dibao_programme(tree["street"]), "household": household, "members": members,
            "worker2": worker2, **actors}


@pytest.fixture(autouse=True)
def _seeded(request):
    if request.node.get_closest_marker("django_db") is not None:
        reseed()
