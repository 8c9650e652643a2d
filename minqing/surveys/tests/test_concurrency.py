"""One person answering twice at the same instant (a double tap, two tabs): exactly one answer is kept.
Real transactions in threads: PostgreSQL in CI, or a SQLite file (test_concurrency_on_a_sqlite_file)."""
import pytest
from django.db import connection

from minqing.appeals.tests.conftest import file_database  # noqa: F401 (a fixture)
from minqing.appeals.tests.test_concurrency import race
from minqing.core.errors import Conflict
from minqing.surveys.models import Response, StaffRating

from .factories import answer, survey_with_questions

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_person_twice_at_once(tree, actors, file_database):  # noqa: F811
    survey, questions = survey_with_questions(tree["community_a"], actors["secretary"], staff=actors["worker"])
    results = race(*[lambda: answer(survey, questions, phone="13900000001") for _ in range(3)])
    assert sum(isinstance(r, Response) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, Conflict)] == ["already_answered"] * 2
    assert Response.objects.filter(survey=survey).count() == 1 and StaffRating.objects.count() == 1


def test_concurrency_on_a_sqlite_file():
    """On the default in-memory SQLite, run the case above against a SQLite file in a subprocess."""
    import subprocess
    import sys

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("the case above ran directly on this database")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-v", "-p", "no:xdist", "-p", "no:cacheprovider",
         "--ds=minqing.appeals.tests.concurrency_settings", "-k", "not sqlite_file"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout, result.stdout[-3000:]
