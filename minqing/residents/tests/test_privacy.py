"""Personal data: never plain in the database, revealed only by an audited action, exportable, anonymisable."""
import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from minqing.core.errors import PermissionDenied, ValidationError
from minqing.core.models import AuditEntry
from minqing.residents import privacy, services
from minqing.residents.models import Move

from .conftest import ID_A1, PHONE_A1

pytestmark = pytest.mark.django_db


def all_database_text() -> str:
    """Every text value in every ledger and audit table, read raw (no model decoding)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith(("residents_", "core_")):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — table names from introspection
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_the_database_never_holds_a_plain_id_number_or_phone(actors, ledger):
    # given data written by every path: factory, register service, update service, and a reveal
    household = ledger["h_a1"]
    services.resident_register(actor=actors["worker"], household_id=household.pk, name="新成员", relation="son",
                               id_number="11010519491231002X",
                               phone="15000000001")
    services.resident_update(actor=actors["worker"], resident_id=ledger["a2"].pk, phone="023-6666-7777")
    privacy.resident_reveal(actor=actors["worker"], resident_id=ledger["a1"].pk, field="id_number", reason="核对")
    text = all_database_text()
    for plain in (ID_A1, PHONE_A1, "11010519491231002X", "15000000001", "02366667777", ledger["b1"].id_number_masked):
        if "*" in plain:
            assert plain in text  # the masked forms are there (sanity check that the scan reads the rows)
        else:
            assert plain not in text


def test_reveal_is_audited_with_reason_and_never_the_value(actors, ledger):
    value = privacy.resident_reveal(actor=actors["grid"], resident_id=ledger["a1"].pk, field="id_number",
                                    reason="办理高龄补贴")
    assert value == ID_A1
    entry = AuditEntry.objects.get(action="resident.reveal_pii")
    assert (entry.actor, entry.object_id, entry.place_code) == (actors["grid"], str(ledger["a1"].pk),
                                                               ledger["a1"].place_code)
    assert entry.changes == {"field": [None, "id_number"], "reason": [None, "办理高龄补贴"]}


def test_reveal_needs_a_reason_and_a_known_field(actors, ledger):
    with pytest.raises(ValidationError) as caught:
        privacy.resident_reveal(actor=actors["grid"], resident_id=ledger["a1"].pk, field="phone", reason=" ")
    assert caught.value.fields == {"reason": ["请填写查看原因。"]}
    with pytest.raises(ValidationError):
        privacy.resident_reveal(actor=actors["grid"], resident_id=ledger["a1"].pk, field="name", reason="x")
    with pytest.raises(PermissionDenied):  # the building head sees the ledger, masked only
        privacy.resident_reveal(actor=actors["building"], resident_id=ledger["a1"].pk, field="phone", reason="x")
    assert not AuditEntry.objects.filter(action="resident.reveal_pii").exists()


def test_personal_data_export_holds_everything_and_is_audited(actors, ledger):
    filename, content = privacy.resident_personal_data_export(actor=actors["worker"], resident_id=ledger["a1"].pk,
                                                              reason="本人申请")
    data = json.loads(content)
    assert filename == f"resident-{ledger['a1'].pk}.json"
    assert data["resident"]["身份证号"] == ID_A1 and data["resident"]["电话"] == PHONE_A1
    assert data["resident"]["姓名"] == "张德明"
    assert AuditEntry.objects.get(action="resident.export_personal_data").changes == {"reason": [None, "本人申请"]}


def test_anonymise_only_after_leaving_and_the_retention_period(actors, ledger, settings):
    settings.MINQING_LEDGER_RETENTION_DAYS = 30
    resident = ledger["a1"]
    with pytest.raises(ValidationError) as caught:
        privacy.resident_anonymise(actor=actors["worker"], resident_id=resident.pk)
    assert str(caught.value.message) == "在住居民不能匿名化。"
    services.resident_move_out(actor=actors["worker"], resident_id=resident.pk,
                               date=timezone.localdate() - datetime.timedelta(days=10), to_text="渝北区某小区")
    with pytest.raises(ValidationError) as caught:
        privacy.resident_anonymise(actor=actors["worker"], resident_id=resident.pk)
    assert str(caught.value.message) == "离开未满保存期限（30 天），暂不能匿名化。"
    Move.objects.filter(resident=resident, kind="out").update(date=datetime.date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        privacy.resident_anonymise(actor=actors["building"], resident_id=resident.pk)
    privacy.resident_anonymise(actor=actors["worker"], resident_id=resident.pk)
    resident.refresh_from_db()
    assert (resident.name, resident.id_number_masked, resident.phone_hash, resident.birth_date) == (
        "已匿名", "", "", datetime.date(1950, 1, 1))
    assert resident.moves.get(kind="out").to_text == ""
    assert ID_A1 not in all_database_text()
    with pytest.raises(ValidationError) as caught:
        services.resident_update(actor=actors["worker"], resident_id=resident.pk, notes="x")
    assert str(caught.value.message) == "该居民信息已匿名化，不能再修改。"
