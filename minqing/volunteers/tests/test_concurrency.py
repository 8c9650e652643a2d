"""Residents racing for the last places, and one phone signing up twice at the same instant: real
transactions in threads. Like appeals' concurrency tests, these need a database two connections can
open at once (PostgreSQL in CI, or a SQLite file: see test_concurrency_on_a_sqlite_file)."""
import pytest
from django.db import connection

from minqing.appeals.tests.conftest import file_database  # noqa: F401 (a fixture)
from minqing.appeals.tests.test_concurrency import race
from minqing.core.errors import Conflict
from minqing.volunteers.models import SignUp, SignUpStatus

from .factories import activity_of, sign_up, team_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_residents_for_two_places(tree, actors, file_database):  # noqa: F811
    activity = activity_of(team_in(tree["community_a"], actors["worker"]), actors["worker"], places=2)
    results = race(*[lambda n=n: sign_up(activity, phone=f"1390000000{n}") for n in range(5)])
    wins = [r for r in results if isinstance(r, tuple)]
    full = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 2 and len(full) == 3, results
    assert {r.code for r in full} == {"full"}
    assert SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED).count() == 2


def test_one_phone_twice_at_once(tree, actors, file_database):  # noqa: F811
    activity = activity_of(team_in(tree["community_a"], actors["worker"]), actors["worker"], places=5)
    results = race(lambda: sign_up(activity), lambda: sign_up(activity))
    assert sum(isinstance(r, tuple) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, Conflict)] == ["already_signed_up"]
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_concurrency_on_a_sqlite_file():
    """On the default in-memory SQLite, run the cases above against a SQLite file in a subprocess."""
    import subprocess
    import sys

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("the cases above ran directly on this database")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-v", "-p", "no:xdist", "-p", "no:cacheprovider",
         "--ds=minqing.appeals.tests.concurrency_settings", "-k", "not sqlite_file"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout, result.stdout[-3000:]
