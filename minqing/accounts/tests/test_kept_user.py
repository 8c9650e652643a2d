"""The signed-in user and their grants are kept per process (accounts.backends.KeptUserBackend): whatever
changes them still shows at the next request."""
import os
import time

import pytest

from minqing.accounts.backends import KeptUserBackend
from minqing.accounts.models import User
from minqing.core.ttlcache import _stamp_path, stamp_check

pytestmark = pytest.mark.django_db


def test_the_user_is_read_once_then_kept(client, actors, django_assert_num_queries):
    client.force_login(actors["worker"])
    client.get("/appeals/")
    with django_assert_num_queries(0):
        user = KeptUserBackend().get_user(actors["worker"].pk)
    assert user.username == "t_worker" and [g.role for g in user._minqing_grants] == ["community_worker"]


def test_each_request_gets_its_own_copy(actors):
    backend = KeptUserBackend()
    first = backend.get_user(actors["worker"].pk)
    first.display_name = "changed by one request"
    first.anything_set = True
    second = backend.get_user(actors["worker"].pk)
    assert second.display_name != "changed by one request" and not hasattr(second, "anything_set")


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, actors):
    client.force_login(actors["worker"])
    assert client.get("/appeals/").status_code == 200
    worker = User.objects.get(pk=actors["worker"].pk)
    worker.is_active = False
    worker.save()
    assert client.get("/appeals/").status_code == 302


def test_a_changed_password_signs_out_the_other_sessions(client, actors):
    client.force_login(actors["worker"])
    assert client.get("/appeals/").status_code == 200
    worker = User.objects.get(pk=actors["worker"].pk)
    worker.set_password("a-new-long-passphrase")
    worker.save()
    assert client.get("/appeals/").status_code == 302



def test_another_users_sign_in_keeps_the_kept_users(client, actors, django_assert_num_queries):
    """A sign-in writes only last_login: nothing a cache hands out, so it must not empty every worker's caches
    (a morning's sign-ins did, each making the next requests read their users and grants again)."""
    client.force_login(actors["worker"])
    client.get("/appeals/")
    other = User.objects.get(pk=actors["secretary"].pk)
    mtime_before = _stamp_path().stat().st_mtime_ns if _stamp_path().exists() else None
    from django.contrib.auth.models import update_last_login
    update_last_login(None, other)  # what Django's user_logged_in receiver does
    with django_assert_num_queries(0):
        KeptUserBackend().get_user(actors["worker"].pk)
    assert (_stamp_path().stat().st_mtime_ns if _stamp_path().exists() else None) == mtime_before
    other.first_name = "改名"
    other.save(update_fields=["first_name", "last_login"])  # any other field still clears
    with django_assert_num_queries(2):
        KeptUserBackend().get_user(actors["worker"].pk)

def test_a_change_made_by_another_process_shows_within_the_stamp_check(client, actors):
    """Another worker process changed the row (here: an update with no save signal in this process) and
    bumped the host's stamp; this process drops its copy at its next look at the stamp (≤ 1 s)."""
    client.force_login(actors["worker"])
    assert client.get("/appeals/").status_code == 200
    User.objects.filter(pk=actors["worker"].pk).update(is_active=False)
    assert client.get("/appeals/").status_code == 200  # still kept: nothing told this process yet
    path = _stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))
    stamp_check(force=True)
    assert client.get("/appeals/").status_code == 302


def test_sessions_are_read_as_django_reads_them(client, actors, settings):
    """accounts.sessions reads the session row without the ORM: a live session signs in, an expired, unknown
    or malformed one does not (and a malformed key is not looked up at all)."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from minqing.accounts.sessions import SessionStore

    client.force_login(actors["worker"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/appeals/").status_code == 200
    assert SessionStore(key).load()["_auth_user_id"] == str(actors["worker"].pk)
    assert SessionStore("no-such-session-key-000").load() == {} and SessionStore("short").load() == {}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/appeals/").status_code == 302
