"""Two copies of the same submission arriving at the same moment (a hotline retrying on a timeout)
file one demand: the second waits for the first's commit and replays its answer."""
import threading

import pytest
from django.db import connection
from django.test import Client

from minqing.appeals.models import Appeal

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_retries_file_one_demand(actors, tree, bearer, flushable_audit):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory shared-cache SQLite reports 'table is locked' instead of waiting; run on PostgreSQL")
    headers = {**bearer(actors["street"]), "HTTP_IDEMPOTENCY_KEY": "12345-2026-009999"}
    payload = {"place_code": tree["community_a"].code, "text": "12345 转办：楼上漏水多日", "channel": "transfer"}
    barrier, results = threading.Barrier(3), []

    def push():
        barrier.wait()
        try:
            response = Client().post("/api/v1/appeals", payload, content_type="application/json", **headers)
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _body in results] == [201, 201, 201], results
    assert len({body["receipt_code"] for _status, body in results}) == 1
    assert Appeal.objects.count() == 1
