"""A key's last use is written at most once a minute (issue 19: no row write per submission)."""
import datetime

import pytest
from django.utils import timezone

from minqing.open311.models import Open311Key
from minqing.open311.tests.test_open311 import post

pytestmark = pytest.mark.django_db


def test_last_used_written_at_most_once_a_minute(client, app_key, service, tree):
    where = {"address_id": tree["building_a1"].code}
    assert post(client, app_key, service, **where).status_code == 201
    key = Open311Key.objects.get()
    recent = timezone.now() - datetime.timedelta(seconds=30)
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=recent)
    assert post(client, app_key, service, **where).status_code == 201
    assert Open311Key.objects.get().last_used_at == recent
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=recent - datetime.timedelta(minutes=5))
    assert post(client, app_key, service, **where).status_code == 201
    assert Open311Key.objects.get().last_used_at > recent
