"""Fixtures shared by every app's tests. Data is built with factories (see <app>/tests/factories.py)."""
import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role
from minqing.places.tests.factories import two_community_tree


@pytest.fixture
def tree(db):
    return two_community_tree()


@pytest.fixture
def actors(tree):
    """One user per role, placed in community A (grid A1 / building A1 for the smallest roles)."""
    return {
        "admin": user_with_role(Role.ADMIN, tree["district"], username="t_admin"),
        "street": user_with_role(Role.STREET_STAFF, tree["street"], username="t_street"),
        "secretary": user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="t_secretary"),
        "worker": user_with_role(Role.COMMUNITY_WORKER, tree["community_a"], username="t_worker"),
        "grid": user_with_role(Role.GRID_WORKER, tree["grid_a1"], username="t_grid"),
        "building": user_with_role(Role.BUILDING_HEAD, tree["building_a1"], username="t_building"),
        "branch": user_with_role(Role.BRANCH_SECRETARY, tree["grid_a2"], username="t_branch"),
        "partner": user_with_role(Role.PARTNER_UNIT, tree["community_a"], username="t_partner"),
        "supervisor": user_with_role(Role.SUPERVISOR, tree["street"], username="t_supervisor"),
    }
