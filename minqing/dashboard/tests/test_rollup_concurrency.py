"""Two recomputes of the same days at the same moment (two schedulers, or the job and a manual
rebuild) serialise on RollupState's row lock: no unique-key error, no double count. Real
transactions in threads; on the default in-memory SQLite the case runs in a subprocess on a file."""
import datetime
import subprocess
import sys
import threading

import pytest
from django.db import connection

from minqing.dashboard.periods import period_parse
from minqing.dashboard.rollups import rollups_recompute
from minqing.dashboard.selectors import rates_for

from .factories import october


def in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_two_recomputes_at_once_do_not_double_count(tree, actors):
    if in_memory_sqlite():
        pytest.skip("threads cannot share an in-memory SQLite database: see the subprocess case")
    october(tree, actors)
    days = [datetime.date(2026, 10, d) for d in range(1, 32)]
    errors = []

    def run():
        try:
            rollups_recompute(days)
        except Exception as exc:  # noqa: BLE001 — the test reports any failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    f = rates_for(actor=actors["street"], period=period_parse("2026-10"), place_code=tree["street"].code)[0].figures
    assert f["total"] == 15


@pytest.mark.slow
def test_two_recomputes_at_once_on_a_sqlite_file():
    if not in_memory_sqlite():
        pytest.skip("the case above ran directly on this database")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-v", "-p", "no:xdist", "-p", "no:cacheprovider",
         "--ds=minqing.dashboard.tests.concurrency_settings", "-k", "not sqlite_file"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout, result.stdout[-3000:]
