"""Two people acting at once, on real transactions (PostgreSQL: CI runs the suite on it too).

Django's in-memory SQLite test database is shared-cache, where a second writer fails at once instead
of waiting, so these run only on PostgreSQL.
"""
import threading

import pytest
from django.conf import settings

from minqing.core.errors import ApplicationError, Conflict, ValidationError
from minqing.residents import services
from minqing.residents.models import Resident

pytestmark = [
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                       reason="real concurrent writers need PostgreSQL (see module docstring)"),
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit"),
]


def run_together(*calls):
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def worker(index, call):
        from django.db import connections

        barrier.wait()
        try:
            results[index] = call()
        except ApplicationError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_same_id_number_registered_twice_at_once_is_stored_once(actors, ledger):
    id_number = "11010519491231002X"
    call = lambda household: (lambda: services.resident_register(  # noqa: E731
        actor=actors["worker"], household_id=household.pk, name="同一人", relation="other", id_number=id_number))
    results = run_together(call(ledger["h_a1"]), call(ledger["h_a2"]))
    assert sum(isinstance(r, Resident) for r in results) == 1
    error = next(r for r in results if isinstance(r, ValidationError))
    assert error.fields == {"id_number": ["该身份证号已在台账中登记，请先查找该居民。"]}
    assert Resident.objects.filter(name="同一人").count() == 1


def test_two_edits_from_the_same_version_one_wins_one_is_told(actors, ledger):
    resident = ledger["a1"]
    edit = lambda note: (lambda: services.resident_update(  # noqa: E731
        actor=actors["worker"], resident_id=resident.pk, expected_version=resident.version, notes=note))
    results = run_together(edit("甲的记录"), edit("乙的记录"))
    assert sum(isinstance(r, Resident) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    resident.refresh_from_db()
    assert resident.version == 2 and resident.notes in ("甲的记录", "乙的记录")
