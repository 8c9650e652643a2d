import pytest

from .factories import activity_of, team_in


@pytest.fixture
def team(tree, actors):
    return team_in(tree["community_a"], actors["worker"])


@pytest.fixture
def activity(team, actors):
    return activity_of(team, actors["worker"])
