"""The bench's own logic that a wrong answer would hide in a results file: the city's audit rows form a
chain that audit_verify accepts, and the peer comparison's ratios and verdicts."""
import datetime
import json

import pytest

from bench.generate import AuditChain, City
from bench.peer import compare


@pytest.mark.django_db
def test_the_citys_audit_rows_form_a_chain_that_verifies():
    """The generator's chain continues the head, hashes what the COPY line stores (seconds, JSON) and
    moves the head to the last row: audit_verify's walk accepts it."""
    from minqing.accounts.models import User
    from minqing.core.audit import audit_record
    from minqing.core.auditchain import chain_verify
    from minqing.core.models import AuditChainHead, AuditEntry

    actor = User.objects.create(username="worker500120001")
    audit_record(actor=actor, action="user.create", obj=actor)  # a row the ORM wrote before the load
    chain = AuditChain.from_head()
    at = datetime.datetime(2025, 1, 7, 9, 30, 12, 345678, tzinfo=datetime.timezone.utc)
    rows = [dict(actor_id=None, actor_label="居民", action="appeal.submit", object_type="appeals.appeal", object_id="1",
                 object_repr="250107AAAAA 楼道灯坏了", place_code="500120001001001001",
                 changes={"channel": [None, "phone"], "photos": [None, 0]}, request_id="", created_at=at),
            dict(actor_id=actor.pk, actor_label="张三", action="appeal.accept", object_type="appeals.appeal",
                 object_id="1", object_repr="250107AAAAA 楼道灯坏了", place_code="500120001001001001",
                 changes={"status": ["submitted", "accepted"]}, request_id="", created_at=at + datetime.timedelta(hours=2))]
    for row in rows:
        values = dict(zip(City.AUDIT_COLUMNS, chain.line(**row).rstrip("\n").split("\t")))
        values["changes"] = json.loads(values["changes"])
        values["actor_id"] = None if values["actor_id"] == "\\N" else int(values["actor_id"])
        values["created_at"] = datetime.datetime.fromisoformat(values["created_at"].replace("+00", "+00:00"))
        AuditEntry.objects.bulk_create([AuditEntry(**values)])  # bulk_create: the chain is the bench's, not save()'s
    chain.head_save()

    checked, broken, why = chain_verify(AuditEntry.objects.order_by("id"), AuditChainHead.objects.get(pk=1))
    assert (checked, broken, why) == (3, None, "")


def test_a_pair_meets_its_goal_only_when_helpdesk_costs_that_many_times_minqings_cpu():
    pair = compare.Pair("statistics", "rates_dashboard_year", "hd_reports_index", 10, "why")
    minqing = {"cpu_ms_per_request": 20.0, "median_ms": 30.0, "p95_ms": 40.0, "requests": 8, "ok": 8}
    helpdesk = {"cpu_ms_per_request": 190.0, "median_ms": 900.0, "p95_ms": 1000.0, "requests": 8, "ok": 7}

    row = compare.pair_row(pair, minqing, helpdesk)

    assert (row["ratio_cpu"], row["ratio_median"], row["ratio_p95"]) == (9.5, 30.0, 25.0)
    assert row["meets_goal"] is False  # the goal is judged on CPU, not on latency
    assert row["errors"] == {"minqing": 0, "helpdesk": 1}
    assert compare.pair_row(pair, minqing, {**helpdesk, "cpu_ms_per_request": 200.0})["meets_goal"] is True
    assert compare.ratio(None, 3.0) is None


def test_rounds_split_a_scenarios_requests_and_merge_back_into_one_side():
    """A pair driven in alternating rounds: each round takes the next slice of the same requests, and a side's
    figures are those of all its requests (CPU added up, percentiles over every latency)."""
    from bench.driver import Request, Scenario

    scenario = Scenario("s", "t", lambda i: Request("GET", f"/x/{i}"), requests=10, warmup=10)
    rounds = [compare._round_of(scenario, k, 4) for k in range(4)]
    assert [r.requests for r in rounds] == [2, 3, 2, 3] and [r.warmup for r in rounds] == [10, 4, 4, 4]
    assert [r.make(i).path for r in rounds for i in range(r.requests)] == [f"/x/{i}" for i in range(10)]

    def part(latencies, app, db):
        n = len(latencies)
        return {"name": "s", "title": "t", "requests": n, "ok": n, "statuses": {"200": n}, "errors": [],
                "seconds": 1.0, "loadavg_1m": [1.0, 2.0], "server_rss_peak_mb": 50,
                "_raw": {"latencies": latencies, "queries": [5] * n, "db_ms": [1.0] * n, "cpu_ms": [2.0] * n},
                **compare._cpu_figures(n, app, db)}

    merged = compare._merged([part([10.0, 30.0], 0.02, 0.01), part([20.0, 40.0], 0.04, 0.01)])
    assert merged["requests"] == 4 and merged["statuses"] == {"200": 4} and merged["rps"] == 2.0
    assert merged["median_ms"] == 25.0 and merged["max_ms"] == 40.0
    assert merged["cpu_ms_per_request"] == 20.0 and merged["rounds"] == [15.0, 25.0]
    assert "_raw" not in merged and compare._merged([part([1.0], 0.001, 0.0)])["requests"] == 1
