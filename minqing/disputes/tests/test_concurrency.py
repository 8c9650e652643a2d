"""Two workers acting on the same dispute at the same moment: the row lock lets one win; the other is
told the state has moved on (real transactions and threads; PostgreSQL — SQLite's in-memory test
database cannot hold two writers)."""
import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from minqing.core.errors import ApplicationError
from minqing.disputes.models import Status
from minqing.disputes.services.agreements import agreement_make

from .factories import CONTENTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_agreements_one_wins(make_dispute, actors, flushable_audit):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL in CI)")
    dispute = make_dispute(Status.MEDIATING)
    start, outcomes = threading.Barrier(2), []

    def attempt():
        try:
            start.wait()
            agreement_make(actor=actors["worker"], dispute_id=dispute.pk, mediator=actors["worker"],
                           committee="渝阳社区人民调解委员会", performance_deadline=timezone.localdate()
                           + datetime.timedelta(days=5), **CONTENTS)
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "transition_not_allowed"]
    assert dispute.agreements.count() == 1
