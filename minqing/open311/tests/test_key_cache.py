"""Keys and their users are cached per process (issue 19): a disabled key is refused at once, and a
submission costs fewer queries."""
import pytest

from minqing.open311.models import Open311Key
from minqing.open311.tests.test_open311 import post

pytestmark = pytest.mark.django_db


def test_a_disabled_key_is_refused_at_once(client, hotline_key, service, tree):
    where = {"address_id": tree["building_a1"].code}
    assert post(client, hotline_key, service, **where).status_code == 201
    key = Open311Key.objects.get()
    key.is_active = False
    key.save()
    assert post(client, hotline_key, service, phone="13900000001", **where).status_code == 403


def test_submission_query_budget(client, hotline_key, service, tree, django_assert_max_num_queries):
    where = {"address_id": tree["building_a1"].code}
    assert post(client, hotline_key, service, **where).status_code == 201
    # key, user, grants, category, place and service level cached; the audit append without a savepoint; the
    # request record goes with the demand's other rows (core.appends.joined: one statement on PostgreSQL)
    from django.db import connection

    with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 11):
        assert post(client, hotline_key, service, phone="13900000001", **where).status_code == 201
