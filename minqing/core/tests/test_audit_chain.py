"""The audit chain's head under many rows in one transaction and under writers at once (migration 0005)."""
import contextlib
import threading

import pytest
from django.db import connection, transaction

from minqing.core import appends
from minqing.core.audit import audit_record
from minqing.core.auditchain import chain_verify
from minqing.core.models import AuditChainHead, AuditEntry
from minqing.notifications.models import Notification


def _head_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text, last_entry_id FROM core_auditchainhead WHERE id = 1")
        return cursor.fetchone()


def _verdict():
    return chain_verify(AuditEntry.objects.order_by("id"), AuditChainHead.objects.get(pk=1))


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_rows_moves_the_head_once_at_commit(actors):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite moves the head per row, in place (its trigger); its test database cannot be flushed "
                    "of append-only rows")
    audit_record(actor=actors["worker"], action="test.before", obj=actors["worker"])
    with transaction.atomic():
        before = _head_version()
        rows = [audit_record(actor=actors["worker"], action=f"test.row{i}", obj=actors["worker"], changes={"i": i})
                for i in range(200)]
        assert _head_version() == before  # no row version per audit row: the cause of the O(n²) load
    assert AuditChainHead.objects.get(pk=1).last_entry_id == rows[-1].pk
    assert [row.prev_hash for row in rows[1:]] == [row.entry_hash for row in rows[:-1]]
    checked, broken, why = _verdict()
    assert broken is None and checked == AuditEntry.objects.count(), why


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("joined", [False, True], ids=["rows-one-by-one", "rows-joined"])
def test_writers_at_once_queue_on_the_head_and_never_fork(actors, joined):
    """Also with each write's rows queued and sent with its audit rows (core.appends.joined, as the intake and
    the transitions do): the head is read without sending the queue, the row goes with it at once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite admits one writer at a time; threads share no in-memory test database")
    barrier = threading.Barrier(4)

    def write(n):
        barrier.wait()
        try:
            for i in range(10):
                with transaction.atomic(), (appends.joined() if joined else contextlib.nullcontext()):
                    appends.rows_append([Notification(user=actors["worker"], kind="k", text=f"{n}-{i}")])
                    audit_record(actor=None, action=f"test.writer{n}", obj=actors["worker"], changes={"i": i})
                    appends.rows_append([Notification(user=actors["worker"], kind="k", text=f"{n}-{i}b")])
                    audit_record(actor=None, action=f"test.writer{n}", obj=actors["worker"], changes={"j": i})
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked, broken, why = _verdict()
    assert (checked, broken) == (AuditEntry.objects.count(), None), why
    assert AuditEntry.objects.filter(action__startswith="test.writer").count() == 80
    assert Notification.objects.filter(user=actors["worker"], kind="k").count() == 80
