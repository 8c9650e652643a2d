import pytest
from django.apps import apps

from minqing.residents.models import CareTag, ResidentTag
from minqing.residents.tests.factories import HouseholdFactory, make_resident

needs_appeals = pytest.mark.skipif(not apps.is_installed("minqing.appeals"), reason="appeals app not installed")


@pytest.fixture
def residents_a1(tree):
    """Twelve residents of building A1 (community A, grid 1), one per household."""
    return [make_resident(HouseholdFactory(building=tree["building_a1"]), f"居民{i}") for i in range(12)]


@pytest.fixture
def tag_resident():
    def tag(resident, code="empty_nest"):
        care = CareTag.objects.filter(code=code).first() or CareTag.objects.first()
        return ResidentTag.objects.create(resident=resident, tag=care, start_date="2020-01-01",
                                          place_code=resident.place_code)
    return tag


@pytest.fixture
def make_dispute(tree, actors):
    from minqing.disputes.tests.factories import dispute_in

    def make(status, **extra):
        extra.setdefault("place", tree["grid_a1"])
        return dispute_in(status, reporter=actors["worker"], leader=actors["secretary"], staff=actors["worker"],
                          **extra)
    return make
