"""Excel import: every row validated, problems reported by row and column in Chinese, all or nothing."""
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from minqing.core.errors import ValidationError
from minqing.core.models import AuditEntry
from minqing.residents.exporting import import_template, resident_list_export
from minqing.residents.importing import COLUMNS, ledger_import
from minqing.residents.models import Household, LedgerImport, Move, Resident, ResidentTag
from minqing.residents.selectors import ResidentFilter

from .conftest import ID_A1
from .factories import valid_id_number

pytestmark = pytest.mark.django_db
HEADERS = [header for _key, header, _required in COLUMNS]


def xlsx(rows, headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(building, room, name, relation, id_number, **extra):
    return {"楼栋": building, "门牌/房号": room, "姓名": name, "与户主关系": relation, "身份证号": id_number, **extra}


@pytest.fixture
def good_rows(tree):
    a1, a2 = tree["building_a1"].code, tree["building_a2"].code
    return [
        row(a1, "5单元501", "孙大山", "户主", valid_id_number(datetime.date(1948, 8, 8), "M", sequence=201),
            联系电话="13511112222", 关爱标签="离退休、老党员/老革命", 迁入日期="1986-05-01"),
        row(a1, "5单元501", "周桂英", "配偶", valid_id_number(datetime.date(1950, 9, 9), "F", sequence=202),
            出生日期=datetime.datetime(1950, 9, 9), 性别="女"),
        row(a2, "6单元602", "吴小龙", "户主", valid_id_number(datetime.date(1995, 1, 1), "M", sequence=203),
            流动人口="是", 户籍地="四川省广安市", 关爱标签="流动人口"),
    ]


def test_dry_run_reports_and_writes_nothing(actors, good_rows):
    report = ledger_import(actor=actors["worker"], file=xlsx(good_rows), filename="台账.xlsx", dry_run=True)
    assert report.ok and not report.applied
    assert (report.rows, report.households_new, report.residents_new) == (3, 2, 3)
    assert Resident.objects.count() == 0 and Household.objects.count() == 0


def test_apply_creates_households_residents_moves_and_tags(actors, good_rows):
    report = ledger_import(actor=actors["worker"], file=xlsx(good_rows), filename="台账.xlsx", dry_run=False)
    assert report.applied
    sun = Resident.objects.get(name="孙大山")
    assert sun.household.head == sun and sun.household.room == "5单元501"
    assert sun.phone_masked == "135****2222" and sun.name_initials == "sds"
    assert sun.moves.get().date == datetime.date(1986, 5, 1)
    assert sorted(ResidentTag.objects.filter(resident=sun).values_list("tag__name", flat=True)) == [
        "离退休", "老党员/老革命"]
    wu = Resident.objects.get(name="吴小龙")
    assert wu.is_floating and wu.registered_place == "四川省广安市"
    assert Move.objects.count() == 3
    ledger_import_row = LedgerImport.objects.get()
    assert (ledger_import_row.residents_created, ledger_import_row.households_created) == (3, 2)
    assert AuditEntry.objects.get(action="ledger.import").changes["residents_created"] == [None, 3]


def test_rows_join_existing_households(actors, ledger, tree):
    rows = [row(tree["building_a1"].code, "1单元101", "张小明", "子", valid_id_number(datetime.date(1980, 1, 1),
                                                                                   "M", sequence=301))]
    report = ledger_import(actor=actors["worker"], file=xlsx(rows), filename="x.xlsx", dry_run=False)
    assert (report.households_new, report.households_existing) == (0, 1)
    assert Resident.objects.get(name="张小明").household == ledger["h_a1"]


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_imported(actors, ledger, tree, good_rows):
    a1 = tree["building_a1"].code
    dup = valid_id_number(datetime.date(1970, 7, 7), "F", sequence=401)
    bad_rows = good_rows + [
        row(a1, "7单元701", "", "户主", ""),  # row 5: missing name and ID
        row("999栋", "1", "钱多多", "户主", valid_id_number(sequence=402)),  # row 6: unknown building
        row(a1, "7单元702", "郑一", "户主", "500110196503021239"),  # row 7: check digit
        row(a1, "7单元703", "郑二", "户主", dup, 出生日期="1970-13-01"),  # row 8: bad date
        row(a1, "7单元704", "郑三", "户主", dup),  # row 9: duplicate of row 8 in the file
        row(a1, "7单元705", "郑四", "户主", ID_A1),  # row 10: already in the ledger
        row(a1, "7单元706", "郑五", "表哥", valid_id_number(sequence=403), 联系电话="123"),  # row 11
        row(a1, "5单元501", "孙二", "户主", valid_id_number(sequence=404)),  # row 12: second head of row 2's household
        row(tree["building_b1"].code, "1", "外社区", "户主", valid_id_number(sequence=405)),  # row 13: out of scope
        row(a1, "7单元707", "郑六", "户主", valid_id_number(sequence=406), 关爱标签="贫困户", 流动人口="可能"),
    ]
    report = ledger_import(actor=actors["worker"], file=xlsx(bad_rows), filename="x.xlsx", dry_run=False)
    assert not report.applied
    assert [(i.row, i.column, i.message) for i in report.issues] == [
        (5, "C", "缺少必填项“姓名”。"),
        (5, "E", "缺少必填项“身份证号”。"),
        (6, "A", "未知楼栋“999栋”（请使用模板“楼栋”页中的编码或名称）。"),
        (7, "E", "身份证号校验位不正确，请核对。"),
        (8, "G", "日期“1970-13-01”无法识别，请写成 1965-03-02。"),
        (9, "E", "身份证号与第 8 行重复。"),
        (10, "E", "该身份证号已在台账中登记。"),
        (11, "D", "与户主关系不正确。"),
        (11, "H", "电话号码格式不正确：手机号为11位，固定电话需带区号。"),
        (12, "D", "同一户（1号楼5单元501）有两个户主：第 2 行和本行。"),
        (13, "A", f"未知楼栋“{tree['building_b1'].code}”（请使用模板“楼栋”页中的编码或名称）。"),
        (14, "I", "流动人口应填“是”或“否”。"),
        (14, "L", "未知关爱标签“贫困户”。"),
    ]
    assert Resident.objects.count() == 4  # only the `ledger` fixture's residents
    assert not LedgerImport.objects.exists() and not AuditEntry.objects.filter(action="ledger.import").exists()


def test_a_failure_while_writing_rolls_everything_back(actors, good_rows, monkeypatch):
    from minqing.residents import importing

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.ResidentTag.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        ledger_import(actor=actors["worker"], file=xlsx(good_rows), filename="x.xlsx", dry_run=False)
    assert Resident.objects.count() == Household.objects.count() == Move.objects.count() == 0


def test_missing_columns_and_unreadable_files(actors):
    report = ledger_import(actor=actors["worker"], file=xlsx([], headers=["楼栋", "姓名"]), filename="x.xlsx")
    assert [(i.row, i.header, i.message) for i in report.issues] == [
        (1, "门牌/房号", "表头缺少“门牌/房号”列。"), (1, "与户主关系", "表头缺少“与户主关系”列。"),
        (1, "身份证号", "表头缺少“身份证号”列。")]
    with pytest.raises(ValidationError) as caught:
        ledger_import(actor=actors["worker"], file=io.BytesIO(b"not a spreadsheet"), filename="x.csv")
    assert caught.value.fields == {"file": ["无法读取该文件，请上传 .xlsx 格式的表格。"]}


def test_legacy_numbers_building_names_and_numeric_id_cells(actors, tree):
    tree["building_a1"].name = "12栋"
    tree["building_a1"].save()
    rows = [row("12栋", "1-101", "老王", "户主", "110105491231001"),  # 15-digit, by building name
            row(tree["building_a1"].code, "1-102", "小李", "户主", 500110196503021238.0)]  # stored as a number
    report = ledger_import(actor=actors["worker"], file=xlsx(rows), filename="x.xlsx")
    assert [(i.row, i.column, i.message) for i in report.issues] == [
        (3, "E", "身份证号被 Excel 存成了数字，末几位已丢失；请将该列设为文本后重填。")]
    report = ledger_import(actor=actors["worker"], file=xlsx(rows[:1]), filename="x.xlsx", dry_run=False)
    assert report.applied
    assert Resident.objects.get(name="老王").id_number_masked == "**************0011"


def test_the_template_round_trips(actors, tree):
    content = import_template(actor=actors["worker"])
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["居民", "说明", "楼栋"]
    assert [c.value for c in workbook["居民"][1]][:5] == ["楼栋*", "门牌/房号*", "姓名*", "与户主关系*", "身份证号*"]
    codes = [r[0].value for r in workbook["楼栋"].iter_rows(min_row=2)]
    assert codes == [tree["building_a1"].code, tree["building_a2"].code]  # only the worker's community
    sheet = workbook["居民"]
    sheet.append([tree["building_a1"].code, "9-901", "模板人", "户主", valid_id_number(sequence=501)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    report = ledger_import(actor=actors["worker"], file=buffer, filename="t.xlsx", dry_run=False)
    assert report.applied and Resident.objects.filter(name="模板人").exists()


def test_list_export_is_masked_and_audited(actors, ledger):
    filename, content = resident_list_export(actor=actors["worker"], filters=ResidentFilter())
    sheet = load_workbook(io.BytesIO(content)).active
    values = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    assert "张德明" in values and ledger["a1"].id_number_masked in values and "138****5678" in values
    assert ID_A1 not in " ".join(values) and "13812345678" not in " ".join(values)
    assert "陈志强" not in values  # community B
    assert AuditEntry.objects.get(action="ledger.export").changes == {"filters": [None, {"status": "living"}], "count": [None, 3]}


def test_list_export_first_row_says_the_filter_in_words(actors, ledger, tree):
    filters = ResidentFilter(place_code=tree["community_a"].code, floating=False)
    _name, content = resident_list_export(actor=actors["worker"], filters=filters)
    first = [c.value for c in next(load_workbook(io.BytesIO(content)).active.iter_rows())]
    assert first[1] == f"状态：在住；地点：{tree['community_a'].name}；流动人口：否"
    assert "ResidentStatus" not in first[1] and "{" not in first[1]
