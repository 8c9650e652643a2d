"""The home page's counts from statements compiled once a minute per user (core.counts.kept_count_sql; here
the to-do counts, appeals.selectors.appeal_todo_counts): the same figures as counting afresh, no querysets
built on a second visit while new rows are still counted, and a change of the user's grants starts afresh."""
import datetime

import pytest
from django.utils import timezone

from minqing.accounts.models import Role, RoleAssignment, User
from minqing.appeals import selectors
from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.core.counts import count_all, count_sql
from minqing.places.models import Place

pytestmark = pytest.mark.django_db


def _fresh(actor):
    return count_all(selectors._todo_querysets(actor, timezone.now()))


def test_kept_counts_are_the_counts_of_the_to_do_sections(tree, actors):
    for status in (Status.SUBMITTED, Status.SUBMITTED, Status.ACCEPTED, Status.REPLIED):
        appeal_in(status, place=tree["building_a1"])
    appeal_in(Status.IN_PROGRESS, place=tree["building_a1"], handler=actors["worker"],
              handle_deadline=timezone.now() - datetime.timedelta(hours=2))
    for name in ("worker", "secretary", "street"):
        kept = selectors.appeal_todo_counts(actor=actors[name])
        assert kept == _fresh(actors[name]), name
    assert selectors.appeal_todo_counts(actor=actors["worker"])["new"] == 2


def test_a_second_visit_builds_no_querysets_but_counts_new_rows(tree, actors, monkeypatch):
    worker = actors["worker"]
    assert selectors.appeal_todo_counts(actor=worker)["new"] == 0
    built = []
    monkeypatch.setattr(selectors, "_todo_querysets", lambda *a: built.append(a) or {})
    appeal_in(Status.SUBMITTED, place=tree["building_a1"])
    assert selectors.appeal_todo_counts(actor=worker)["new"] == 1  # the kept statement, run again
    assert built == []


def test_a_changed_grant_is_counted_at_once(tree, actors):
    worker = actors["worker"]
    appeal_in(Status.SUBMITTED, place=tree["building_b1"])
    before = selectors.appeal_todo_counts(actor=worker)["new"]
    RoleAssignment.objects.create(user=worker, role=Role.COMMUNITY_WORKER, place=tree["community_b"])
    worker = User.objects.get(pk=worker.pk)  # the next request's user, with its grants read afresh
    assert selectors.appeal_todo_counts(actor=worker)["new"] == before + 1 == _fresh(worker)["new"]


def test_a_count_that_can_match_nothing_is_zero_without_sql():
    assert count_sql(Place.objects.none()) is None
    assert count_all({"none": None, "also": Place.objects.none()}) == {"none": 0, "also": 0}


def test_a_bounded_cache_drops_the_expired_then_the_oldest():
    from minqing.core import ttlcache

    clock = [1000.0]
    cache = ttlcache.TtlCache("test bound", ttl=60, max_items=2, clock=lambda: clock[0])
    cache.get("a", lambda: 1)
    clock[0] += 30
    cache.get("b", lambda: 2)
    cache.get("c", lambda: 3)  # full: "a" is still fresh, so the oldest goes
    assert set(cache._items) == {"b", "c"}
    clock[0] += 45  # "b" has expired, "c" has not
    cache.get("d", lambda: 4)
    assert set(cache._items) == {"c", "d"}
    assert cache.get("c", lambda: "reloaded") == 3


@pytest.mark.django_db(transaction=True)  # inside a transaction every read stays on the primary
def test_statements_kept_for_the_primary_are_not_run_on_the_replica(settings, actors):
    """The kept SQL names its database: a panel read under replica_reads() gets statements of its own."""
    from django.test import override_settings

    from minqing.core.counts import kept_count_sql
    from minqing.core.dbrouters import REPLICA, replica_reads

    replica = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    worker = actors["worker"]
    places = lambda: {"places": Place.objects.all()}  # noqa: E731
    with override_settings(DATABASES={**settings.DATABASES, REPLICA: replica}):
        assert kept_count_sql("test-alias", worker, places)["places"].db == "default"
        with replica_reads():
            assert kept_count_sql("test-alias", worker, places)["places"].db == REPLICA
        assert kept_count_sql("test-alias", worker, places)["places"].db == "default"
