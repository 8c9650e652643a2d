"""Two workers dispatching (or replying to) the same demand at once: one wins, the other gets a Conflict
and loses nothing. Two real transactions in two threads, each with its own database connection."""
import threading

import pytest
from django.db import connection, connections

from minqing.appeals import services
from minqing.appeals.models import Appeal, AppealEvent, Status
from minqing.core.errors import Conflict, TransitionNotAllowed

from .factories import appeal_in

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _outcomes(results):
    wins = [r for r in results if isinstance(r, Appeal)]
    conflicts = [r for r in results if isinstance(r, (Conflict, TransitionNotAllowed))]
    return wins, conflicts


def test_two_dispatches_at_once(tree, actors, heating, file_database):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    version = appeal.version
    results = race(
        lambda: services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk, expected_version=version,
                                         leader=actors["secretary"], handler_user=actors["worker"]),
        lambda: services.appeal_dispatch(actor=actors["worker"], appeal_id=appeal.pk, expected_version=version,
                                         leader=actors["secretary"], handler_unit=heating["unit"]),
    )
    wins, conflicts = _outcomes(results)
    assert len(wins) == 1 and len(conflicts) == 1, results
    assert isinstance(conflicts[0], Conflict)
    assert str(conflicts[0].message) == "该记录已被他人修改，请刷新后重试。您的输入未丢失。"
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and appeal.version == version + 1
    assert AppealEvent.objects.filter(appeal=appeal, verb="dispatch").count() == 1


def test_two_replies_at_once(tree, actors, file_database):
    appeal = appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"])
    version = appeal.version
    results = race(
        lambda: services.appeal_reply(actor=actors["worker"], appeal_id=appeal.pk, expected_version=version,
                                      outcome="solved", text="甲：已修好"),
        lambda: services.appeal_reply(actor=actors["secretary"], appeal_id=appeal.pk, expected_version=version,
                                      outcome="partly", text="乙：部分解决"),
    )
    wins, conflicts = _outcomes(results)
    assert len(wins) == 1 and len(conflicts) == 1, results
    appeal.refresh_from_db()
    assert appeal.reply_text == wins[0].reply_text
    assert AppealEvent.objects.filter(appeal=appeal, verb="reply").count() == 1


def test_without_version_the_second_is_refused_by_the_table(tree, actors, file_database):
    appeal = appeal_in(Status.ACCEPTED, place=tree["building_a1"])
    results = race(*[
        (lambda: services.appeal_dispatch(actor=actors["secretary"], appeal_id=appeal.pk,
                                          leader=actors["secretary"], handler_user=actors["worker"]))
        for _ in range(2)])
    wins, refused = _outcomes(results)
    assert len(wins) == 1 and isinstance(refused[0], TransitionNotAllowed), results


@pytest.mark.slow
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
    assert "3 passed" in result.stdout, result.stdout[-3000:]
