import pytest


@pytest.fixture(autouse=True)
def _seeded_calendar(request):
    """The calendar comes from a data migration; a transactional test's flush earlier in the same
    worker removes it, so put it back if missing."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    from minqing.workdays.models import CalendarDay, CalendarYear
    from minqing.workdays.seed import seed_from_package

    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)
