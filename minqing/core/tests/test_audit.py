import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, connection, transaction

from minqing.core.errors import Conflict
from minqing.core.models import AuditEntry
from minqing.core.requestcontext import request_id_reset, request_id_set
from minqing.places.services import place_update

pytestmark = pytest.mark.django_db


def test_changing_an_object_through_its_service_writes_exactly_one_audit_row_with_the_diff(tree, actors):
    # given
    community = tree["community_a"]
    token = request_id_set("req-0123456789")
    # when
    try:
        place_update(actor=actors["admin"], place_id=community.pk, name="A社区（新）", address="八里庄1号")
    finally:
        request_id_reset(token)
    # then
    entries = list(AuditEntry.objects.for_object(community))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == "place.update"
    assert entry.actor == actors["admin"]
    assert entry.changes == {"name": ["A社区", "A社区（新）"], "address": ["", "八里庄1号"]}
    assert entry.request_id == "req-0123456789"
    assert entry.place_code == community.code


def test_an_unchanged_save_writes_no_audit_row(tree, actors):
    place_update(actor=actors["admin"], place_id=tree["grid_a1"].pk, name=tree["grid_a1"].name)
    assert not AuditEntry.objects.for_object(tree["grid_a1"]).exists()


def test_a_stale_version_is_refused_and_nothing_changes(tree, actors):
    grid = tree["grid_a1"]
    place_update(actor=actors["admin"], place_id=grid.pk, expected_version=1, name="一网格")
    with pytest.raises(Conflict):
        place_update(actor=actors["admin"], place_id=grid.pk, expected_version=1, name="二网格")
    grid.refresh_from_db()
    assert grid.name == "一网格" and grid.version == 2


def test_the_audit_trail_cannot_be_edited_or_deleted_by_code(tree, actors):
    place_update(actor=actors["admin"], place_id=tree["grid_a1"].pk, name="一网格")
    entry = AuditEntry.objects.get()
    entry.action = "forged"
    with pytest.raises(DjangoPermissionDenied):
        entry.save()
    with pytest.raises(DjangoPermissionDenied):
        entry.delete()
    with pytest.raises(DjangoPermissionDenied):
        AuditEntry.objects.all().update(action="forged")
    with pytest.raises(DjangoPermissionDenied):
        AuditEntry.objects.all().delete()


def test_the_database_itself_refuses_update_and_delete(tree, actors):
    place_update(actor=actors["admin"], place_id=tree["grid_a1"].pk, name="一网格")
    for sql in ("UPDATE core_auditentry SET action = 'forged'", "DELETE FROM core_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().action == "place.update"


def test_audit_rows_show_on_the_objects_page(client, tree, actors):
    place_update(actor=actors["admin"], place_id=tree["grid_a1"].pk, name="一网格")
    client.force_login(actors["secretary"])
    page = client.get(f"/places/{tree['grid_a1'].code}/")
    assert page.status_code == 200
    assert "修改地点" in page.content.decode() and "一网格" in page.content.decode()
    assert "place.update" not in page.content.decode()
