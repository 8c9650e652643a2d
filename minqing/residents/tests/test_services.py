"""Writing the ledger: registration, edits, moves, tags and liaisons — each checked, locked and audited."""
import datetime

import pytest

from minqing.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from minqing.core.models import AuditEntry
from minqing.residents import services
from minqing.residents.models import Household, Move, Resident, ResidentStatus, ResidentTag

from .conftest import ID_A1
from .factories import valid_id_number

pytestmark = pytest.mark.django_db
D = datetime.date


def fields_of(error):
    return {name: [str(m) for m in messages] for name, messages in error.value.fields.items()}


def test_register_derives_birth_date_and_sex_moves_in_and_audits(actors, ledger):
    # given an empty household in building A1
    household = Household.objects.create(building=ledger["h_a1"].building, place_code=ledger["h_a1"].place_code,
                                         room="1单元102")
    # when a worker registers its head
    resident = services.resident_register(actor=actors["worker"], household_id=household.pk, name="赵大爷",
                                          id_number="500110194001010011", phone="138 0000 1111",
                                          moved_in_on=D(1985, 5, 1), moved_in_from="南桐矿区")
    # then
    resident.refresh_from_db()
    household.refresh_from_db()
    assert (resident.birth_date, resident.sex, resident.name_initials) == (D(1940, 1, 1), "M", "zdy")
    assert resident.id_number_masked == "**************0011" and resident.phone_masked == "138****1111"
    assert household.head == resident
    move = resident.moves.get()
    assert (move.kind, move.date, move.from_text, move.to_household) == ("in", D(1985, 5, 1), "南桐矿区", household)
    entry = AuditEntry.objects.for_object(resident).get()
    assert entry.action == "resident.register"
    assert entry.changes["id_number"] == [None, "**************0011"]
    assert "500110194001010011" not in str(entry.changes)


def test_register_reports_every_field_problem_in_chinese(actors, ledger):
    with pytest.raises(ValidationError) as caught:
        services.resident_register(actor=actors["worker"], household_id=ledger["h_a1"].pk, name=" ", relation="boss",
                                   id_number="500110196503021239", phone="12345")
    assert fields_of(caught) == {
        "name": ["请填写姓名。"], "relation": ["与户主关系不正确。"],
        "id_number": ["身份证号校验位不正确，请核对。"],
        "phone": ["电话号码格式不正确：手机号为11位，固定电话需带区号。"],
    }


def test_register_refuses_birth_date_or_sex_contradicting_the_id_number(actors, ledger):
    with pytest.raises(ValidationError) as caught:
        services.resident_register(actor=actors["worker"], household_id=ledger["h_a1"].pk, name="甲",
                                   relation="son", id_number="500110194001010011", sex="F", birth_date=D(1940, 1, 2))
    assert fields_of(caught) == {"birth_date": ["出生日期与身份证号不符（身份证号为 1940-01-01）。"],
                                 "sex": ["性别与身份证号不符。"]}


def test_register_refuses_an_id_number_already_in_the_ledger_even_in_15_digits(actors, ledger):
    legacy = ID_A1[:6] + ID_A1[8:17]
    with pytest.raises(ValidationError) as caught:
        services.resident_register(actor=actors["worker"], household_id=ledger["h_a2"].pk, name="重复",
                                   id_number=legacy)
    assert fields_of(caught) == {"id_number": ["该身份证号已在台账中登记，请先查找该居民。"]}


def test_scope_of_writes(actors, ledger):
    with pytest.raises(NotFound):  # grid A1 cannot see building A2
        services.resident_update(actor=actors["grid"], resident_id=ledger["a2"].pk, notes="x")
    with pytest.raises(PermissionDenied):  # the street office sees but does not edit the ledger
        services.resident_update(actor=actors["street"], resident_id=ledger["a1"].pk, notes="x")
    with pytest.raises(NotFound):
        services.resident_register(actor=actors["secretary"], household_id=ledger["h_b1"].pk, name="外人")


def test_update_changes_profile_and_personal_data_and_audits_masked(actors, ledger):
    resident = ledger["a1"]
    new_id = valid_id_number(D(1950, 6, 15), "M", sequence=99)
    services.resident_update(actor=actors["worker"], resident_id=resident.pk, expected_version=resident.version,
                             id_number=new_id, phone="13700000000", occupation="渝阳煤矿退休")
    resident.refresh_from_db()
    assert resident.version == 2
    assert resident.occupation == "渝阳煤矿退休" and resident.phone_masked == "137****0000"
    entry = AuditEntry.objects.for_object(resident).get(action="resident.update")
    assert entry.changes["phone"] == ["138****5678", "137****0000"]
    assert entry.changes["id_number"][1] == "*" * 14 + new_id[-4:]
    assert "birth_date" not in entry.changes and "1950-06-15" not in str(entry.changes)  # never beside the ID
    assert new_id not in str(entry.changes) and "13700000000" not in str(entry.changes)


def test_update_with_a_stale_version_is_a_conflict(actors, ledger):
    with pytest.raises(Conflict):
        services.resident_update(actor=actors["worker"], resident_id=ledger["a1"].pk, expected_version=7, notes="x")


def test_update_cannot_contradict_the_stored_id_number(actors, ledger):
    with pytest.raises(ValidationError) as caught:
        services.resident_update(actor=actors["worker"], resident_id=ledger["a1"].pk, birth_date=D(1951, 1, 1))
    assert fields_of(caught) == {"birth_date": ["已登记身份证号，出生日期和性别以身份证号为准。"]}


def test_update_clearing_a_phone_and_unknown_fields(actors, ledger):
    services.resident_update(actor=actors["worker"], resident_id=ledger["a1"].pk, phone="")
    ledger["a1"].refresh_from_db()
    assert ledger["a1"].phone_cipher == ledger["a1"].phone_hash == ledger["a1"].phone_masked == ""
    with pytest.raises(ValidationError) as caught:
        services.resident_update(actor=actors["worker"], resident_id=ledger["a1"].pk, place_code="1")
    assert fields_of(caught) == {"place_code": ["该字段不可修改。"]}


def test_move_out_keeps_the_resident_findable_with_history(actors, ledger):
    resident, household = ledger["a1"], ledger["h_a1"]
    services.resident_tag_add(actor=actors["worker"], resident_id=resident.pk, tag_id=_tag("retired").pk,
                              start_date=D(2010, 6, 15))
    services.resident_move_out(actor=actors["worker"], resident_id=resident.pk, date=D(2026, 3, 1),
                               to_text="重庆市渝北区", reason="随子女生活")
    resident.refresh_from_db()
    household.refresh_from_db()
    assert resident.status == ResidentStatus.MOVED_OUT and resident.household is None
    assert resident.place_code == household.place_code  # still in the scope of who looked after them
    assert household.head is None and household.is_active  # the spouse still lives there
    move = resident.moves.get(kind="out")
    assert (move.from_household, move.to_text, move.reason) == (household, "重庆市渝北区", "随子女生活")
    assert resident.tags.get().end_date == D(2026, 3, 1)
    with pytest.raises(ValidationError) as caught:
        services.resident_move_out(actor=actors["worker"], resident_id=resident.pk, date=D(2026, 3, 2))
    assert str(caught.value.message) == "该居民已不在住，不能再办理迁出。"


def test_last_member_moving_out_retires_the_household(actors, ledger):
    services.resident_move_out(actor=actors["worker"], resident_id=ledger["a2"].pk, date=D(2026, 1, 1))
    ledger["h_a2"].refresh_from_db()
    assert not ledger["h_a2"].is_active


def test_move_within_and_back_in(actors, ledger):
    resident = ledger["a1_spouse"]
    services.resident_move_to(actor=actors["worker"], resident_id=resident.pk, household_id=ledger["h_a2"].pk,
                              date=D(2026, 2, 1), relation="parent", reason="投靠女儿")
    resident.refresh_from_db()
    assert (resident.household, resident.place_code, resident.relation) == (
        ledger["h_a2"], ledger["h_a2"].place_code, "parent")
    assert resident.moves.get(kind="within").from_household == ledger["h_a1"]
    services.resident_move_out(actor=actors["worker"], resident_id=resident.pk, date=D(2026, 4, 1))
    services.resident_move_to(actor=actors["worker"], resident_id=resident.pk, household_id=ledger["h_a1"].pk,
                              date=D(2026, 6, 1), relation="spouse", from_text="綦江城区")
    resident.refresh_from_db()
    assert resident.status == ResidentStatus.LIVING
    assert list(resident.moves.order_by("date", "id").values_list("kind", flat=True)) == ["within", "out", "in"]


def test_move_to_another_community_needs_scope_there(actors, ledger):
    with pytest.raises(NotFound):
        services.resident_move_to(actor=actors["worker"], resident_id=ledger["a1"].pk,
                                  household_id=ledger["h_b1"].pk, date=D(2026, 1, 1))
    assert Move.objects.filter(resident=ledger["a1"]).count() == 0


def test_deceased(actors, ledger):
    services.resident_mark_deceased(actor=actors["grid"], resident_id=ledger["a1"].pk, date=D(2026, 5, 5))
    ledger["a1"].refresh_from_db()
    assert ledger["a1"].status == ResidentStatus.DECEASED
    with pytest.raises(ValidationError):
        services.resident_mark_deceased(actor=actors["grid"], resident_id=ledger["a1"].pk, date=D(2026, 5, 5))


def _tag(code):
    from minqing.residents.models import CareTag

    return CareTag.objects.get(code=code)


def test_care_tags_have_periods_and_refuse_overlaps(actors, ledger):
    resident = ledger["a1"]
    tag = _tag("elder_alone")
    rt = services.resident_tag_add(actor=actors["grid"], resident_id=resident.pk, tag_id=tag.pk,
                                   start_date=D(2020, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.resident_tag_add(actor=actors["grid"], resident_id=resident.pk, tag_id=tag.pk,
                                  start_date=D(2024, 1, 1))
    assert fields_of(caught) == {"tag": ["该居民在这段时间已有此标签。"]}
    with pytest.raises(ValidationError) as caught:
        services.resident_tag_end(actor=actors["grid"], resident_tag_id=rt.pk, end_date=D(2019, 1, 1))
    assert fields_of(caught) == {"end_date": ["结束日期不能早于开始日期。"]}
    services.resident_tag_end(actor=actors["grid"], resident_tag_id=rt.pk, end_date=D(2025, 1, 1))
    assert not ResidentTag.objects.current().filter(resident=resident).exists()
    assert [e.action for e in AuditEntry.objects.for_object(resident).order_by("id")] == [
        "resident.tag_add", "resident.tag_end"]
    with pytest.raises(NotFound):
        services.resident_tag_add(actor=actors["grid"], resident_id=ledger["b1"].pk, tag_id=tag.pk,
                                  start_date=D(2020, 1, 1))


def test_seeded_care_tags_are_the_product_list():
    from minqing.residents.models import CareTag

    assert list(CareTag.objects.values_list("name", flat=True)) == [
        "离退休", "老党员/老革命", "生活困难家庭", "低保", "大病", "残疾", "独居/空巢老人", "子女上学困难", "失业",
        "信访重点", "流动人口", "创业"]


def test_liaison_must_be_a_cadre_of_the_community(actors, ledger, tree):
    from minqing.accounts.models import Role
    from minqing.accounts.tests.factories import user_with_role

    outsider = user_with_role(Role.GRID_WORKER, tree["grid_b1"], username="b_grid")
    household = ledger["h_a1"]
    with pytest.raises(ValidationError) as caught:
        services.household_assign_liaison(actor=actors["worker"], household_id=household.pk, liaison_id=outsider.pk)
    assert fields_of(caught) == {"liaison": ["包户联系人须是本社区的干部或网格员。"]}
    services.household_assign_liaison(actor=actors["worker"], household_id=household.pk,
                                      liaison_id=actors["grid"].pk)
    household.refresh_from_db()
    assert household.liaison == actors["grid"]
    assert AuditEntry.objects.for_object(household).get().changes == {"liaison": [None, str(actors["grid"])]}


def test_household_create_and_update(actors, tree):
    household = services.household_create(actor=actors["grid"], building_id=tree["building_a1"].pk, room=" 3单元501 ",
                                          liaison_id=actors["building"].pk)
    assert (household.room, household.place_code, household.liaison) == (
        "3单元501", tree["building_a1"].code, actors["building"])
    with pytest.raises(ValidationError) as caught:
        services.household_update(actor=actors["grid"], household_id=household.pk, room="", liaison_id=None)
    assert fields_of(caught) == {"room": ["请填写门牌/房号。"]}
    with pytest.raises(NotFound):
        services.household_create(actor=actors["grid"], building_id=tree["building_a2"].pk, room="1")
    with pytest.raises(ValidationError) as caught:
        services.household_create(actor=actors["grid"], building_id=tree["grid_a1"].pk, room="1")
    assert fields_of(caught) == {"building": ["请选择楼栋。"]}


def test_set_head(actors, ledger):
    services.household_set_head(actor=actors["worker"], household_id=ledger["h_a1"].pk,
                                resident_id=ledger["a1_spouse"].pk)
    ledger["h_a1"].refresh_from_db()
    assert ledger["h_a1"].head == ledger["a1_spouse"]
    assert Resident.objects.get(pk=ledger["a1_spouse"].pk).relation == "head"
