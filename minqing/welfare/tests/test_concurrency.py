"""Two staff acting on the same file at once: one wins, the other gets a Conflict and nothing doubles.
Real transactions in two threads, each with its own connection — on PostgreSQL (CI). Django's in-memory
SQLite test database is shared-cache, where a second writer fails at once instead of waiting."""
import threading

import pytest
from django.db import connection, connections  # noqa: F401  (connection: the skipif condition)

from minqing.core.errors import Conflict
from minqing.core.models import AuditEntry
from minqing.welfare import services
from minqing.welfare.models import Application, Status

from .factories import submit, verify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("flushable_audit")]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # inspected below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs a server database (PostgreSQL in CI)")
def test_two_rejections_at_once(welfare):
    application = verify(welfare["worker"], submit(welfare["worker"], welfare["programme"], welfare["household"]),
                         welfare["worker2"], income="3000", recommends=False)
    version = application.version
    results = race(*[lambda reason=reason: services.application_reject(
        actor=welfare["street"], application=application, reason=reason, expected_version=version)
        for reason in ("收入超标", "有营运车辆")])
    wins = [r for r in results if isinstance(r, Application)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.version == version + 1
    assert AuditEntry.objects.for_object(application).filter(action="welfare.application.reject").count() == 1
