import pytest
from django.core.files.storage import FileSystemStorage

from minqing.training import search
from minqing.training.models import private_storage


@pytest.fixture(autouse=True)
def _private_files(tmp_path):
    """Materials go to a temporary folder; the search index is rebuilt per test."""
    private_storage._wrapped = FileSystemStorage(location=tmp_path / "private")
    search._cache.clear()
    yield
    search._cache.clear()


@pytest.fixture
def flushable_audit():
    """For transactional (browser) tests: empty the append-only audit trail before the teardown flush."""
    yield
    from minqing.api.tests.db import audit_trail_empty_for_flush

    audit_trail_empty_for_flush()


@pytest.fixture(autouse=True)
def _seeded(request):
    """Demands need the calendar and the default taxonomy from the data migrations; a transactional
    test's flush earlier in the same worker removes them (as appeals/tests/conftest.py does)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from minqing.appeals.default_taxonomy import seed_default
    from minqing.appeals.taxonomy import Category, ServiceLevel
    from minqing.workdays.models import CalendarDay, CalendarYear
    from minqing.workdays.seed import seed_from_package

    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)
    seed_default(Category, ServiceLevel)
