"""A key's last use is written at most once a minute (issue 19: no row write per submission)."""
import datetime

import pytest
from django.utils import timezone

from minqing.core.ttlcache import caches_clear
from minqing.open311.models import Open311Key
from minqing.open311.tests.test_open311 import post

pytestmark = pytest.mark.django_db


def test_last_used_written_at_most_once_a_minute(client, app_key, service, tree):
    where = {"address_id": tree["building_a1"].code}
    assert post(client, app_key, service, **where).status_code == 201
    first = Open311Key.objects.get().last_used_at
    assert first is not None
    # the same minute: not written again (the process remembers its write, and the row says so too)
    assert post(client, app_key, service, **where).status_code == 201
    assert Open311Key.objects.get().last_used_at == first
    # a minute later (the process's memory of it has expired; the row is old)
    caches_clear()
    stale = timezone.now() - datetime.timedelta(minutes=5)
    Open311Key.objects.update(last_used_at=stale)
    assert post(client, app_key, service, **where).status_code == 201
    assert Open311Key.objects.get().last_used_at > stale + datetime.timedelta(minutes=4)
