"""The read-replica router (docs/scaling.md): what docs/scaling.md claims about it, tested."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from minqing.core import dbrouters
from minqing.core.dbrouters import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from minqing.places.models import Place

ROOT = Path(__file__).resolve().parents[3]
router = ReplicaRouter()


def with_replica(databases):
    return {**databases, REPLICA: {**databases["default"], "TEST": {"MIRROR": "default"}}}


def test_without_a_replica_everything_reads_from_the_primary(settings):
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(Place) is None
    assert router.db_for_write(Place) == "default"


def test_with_a_replica_only_the_code_that_asks_reads_from_it(settings):
    with override_settings(DATABASES=with_replica(settings.DATABASES)):
        assert router.db_for_read(Place) is None  # a page that may have just written
        with replica_reads():
            assert router.db_for_read(Place) == REPLICA
            assert router.db_for_write(Place) == "default"
        assert router.db_for_read(Place) is None


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_stay_on_the_primary(settings):
    """A lock or a read-after-write inside a transaction must see the primary's rows."""
    with override_settings(DATABASES=with_replica(settings.DATABASES)), replica_reads():
        with transaction.atomic():
            assert router.db_for_read(Place) is None
        assert router.db_for_read(Place) == REPLICA


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("default", "appeals") is True
    assert router.allow_migrate(REPLICA, "appeals") is False
    assert router.allow_relation(object(), object()) is True


def test_reads_from_replica_marks_only_the_view_it_wraps():
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(dbrouters._replica_wanted.get())
        return "ok"

    assert view(None) == "ok" and seen == [True]
    assert dbrouters._replica_wanted.get() is False


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:report"])
def test_the_dashboards_read_from_the_replica(name, client, actors, tree, monkeypatch):
    """The dashboard and the monthly report are the views wrapped; their reads are routed with the
    replica wanted (here the router is watched, and answers the primary, as no replica exists)."""
    pytest.importorskip("minqing.dashboard")
    wanted = []
    original = ReplicaRouter.db_for_read

    def watch(self, model, **hints):
        wanted.append((model._meta.label_lower, dbrouters._replica_wanted.get()))
        return original(self, model, **hints)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", watch)
    client.force_login(actors["street"])
    wanted.clear()
    assert client.get(reverse(name), {"place": tree["street"].code}).status_code == 200
    page_reads = [label for label, flag in wanted if flag]
    assert any(label.startswith(("dashboard.", "appeals.")) for label in page_reads), wanted
    assert not any(flag for label, flag in wanted if label == "sessions.session"), "the session is the primary's"


def test_database_replica_url_adds_the_replica_and_the_router():
    """The one setting: DATABASE_REPLICA_URL → DATABASES["replica"] (a test mirror of the default)."""
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([sorted(s.DATABASES), s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST']['MIRROR'],"
            " s.DATABASE_ROUTERS]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "minqing.settings.test",
           "DATABASE_URL": "postgres://u:p@primary.example:5432/minqing",
           "DATABASE_REPLICA_URL": "postgres://u:p@replica.example:5432/minqing"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ('[["default", "replica"], "replica.example", "default", '
                                  '["minqing.core.dbrouters.ReplicaRouter"]]')
