"""The bench's own logic that a wrong answer would hide in a results file: the city's audit rows form a
chain that audit_verify accepts, and the peer comparison's ratios and verdicts."""
import datetime
import json

import pytest

from bench.generate import City, Shape
from bench.peer import compare


@pytest.mark.django_db
def test_the_citys_audit_rows_form_a_chain_that_verifies():
    from minqing.accounts.models import User
    from minqing.core.auditchain import GENESIS, chain_verify
    from minqing.core.models import AuditEntry

    actor = User.objects.create(username="worker500120001")
    city = City(demands=0, residents=0, shape=Shape(), seed=1, dsn="")
    city.audit_hash = GENESIS
    at = datetime.datetime(2025, 1, 7, 9, 30, 12, 345678, tzinfo=datetime.timezone.utc)
    rows = [(None, "居民", "appeal.submit", "appeals.appeal", "1", "250107AAAAA 楼道灯坏了", "500120001001001001",
             '{"channel": "phone", "category": "治安", "photos": 0}', "", at),
            (actor.pk, "张三", "appeal.accept", "appeals.appeal", "1", "250107AAAAA 楼道灯坏了", "500120001001001001",
             '{"status": ["submitted", "accepted"]}', "", at + datetime.timedelta(hours=2))]
    for row in rows:
        values = dict(zip(City.AUDIT_COLUMNS, (*row, *city._audit_link(row))))
        values["changes"] = json.loads(values["changes"])
        values["created_at"] = values["created_at"].replace(microsecond=0)  # as the COPY line writes it
        AuditEntry.objects.bulk_create([AuditEntry(**values)])  # bulk_create: the chain is the bench's, not save()'s

    checked, broken, why = chain_verify(AuditEntry.objects.order_by("id"))
    assert (checked, broken, why) == (2, None, "")


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
