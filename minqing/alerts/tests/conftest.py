import pytest
from django.apps import apps

from minqing.residents.models import CareTag, ResidentTag
from minqing.residents.tests.factories import HouseholdFactory, make_resident

needs_appeals = pytest.mark.skipif(not apps.is_installed("minqing.appeals"), reason="appeals app not installed")


@pytest.fixture
def residents_a1(tree):
    """Twelve residents of building A1 (community A, grid 1), one per household."""
    return [make_resident(HouseholdFactory(building=tree["building_a1"]), f"居民{i}") for i in range(12)]


@pytest.fixture(autouse=True)
def _seeded(request):
    """Care tags and the demand taxonomy come from data migrations, which a transactional test's flush
    (earlier in the same worker) removes: put them back if missing."""
    if request.node.get_closest_marker("django_db") is None or not apps.is_installed("minqing.appeals"):
        return
    from minqing.appeals.default_taxonomy import seed_default
    from minqing.appeals.taxonomy import Category, ServiceLevel

    seed_default(Category, ServiceLevel)


@pytest.fixture
def tag_resident():
    def tag(resident):
        care, _created = CareTag.objects.get_or_create(name="独居/空巢老人", defaults={"code": "alone_elder"})
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


@pytest.fixture
def flushable_audit():
    yield
    from minqing.api.tests.db import audit_trail_empty_for_flush

    audit_trail_empty_for_flush()
