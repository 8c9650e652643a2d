"""`core.ttlcache.detached`: a kept row handed to a request is a copy the request may change freely."""
import pytest

from minqing.api.models import ApiToken
from minqing.api.selectors import api_token_find
from minqing.api.services import api_token_create
from minqing.core.ttlcache import detached, with_owner

pytestmark = pytest.mark.django_db


def test_a_detached_copy_reads_like_the_row_and_changes_alone(actors):
    worker = actors["worker"]
    copy = detached(worker)
    assert type(copy) is type(worker) and copy == worker and copy is not worker
    assert (copy.username, copy._state.db, copy._state.adding) == (worker.username, worker._state.db, False)
    copy.display_name = "改了副本"
    copy._state.adding = True
    assert worker.display_name != "改了副本" and worker._state.adding is False


def test_a_kept_token_and_its_owner_are_copies_per_request(actors):
    token, raw = api_token_create(actor=actors["worker"], name="集成")
    first, second = api_token_find(raw=raw), api_token_find(raw=raw)
    assert first.pk == second.pk == token.pk and first is not second and first.user is not second.user
    first.user.display_name = "某个请求改的"
    first.name = "某个请求改的"
    third = api_token_find(raw=raw)
    assert third.user.display_name != "某个请求改的" and third.name != "某个请求改的"
    assert isinstance(with_owner(ApiToken.objects.get(pk=token.pk)).user, type(actors["worker"]))
    copy = detached(token)
    copy._state.fields_cache["user"] = None  # its own cache of related rows
    assert token._state.fields_cache.get("user", "absent") is not None
