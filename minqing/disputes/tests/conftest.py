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
