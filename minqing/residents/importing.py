"""Importing households and residents from .xlsx: validate every row, then apply all of it or nothing.

The sheet has one row per resident; rows with the same building and room form one household. Every
row goes through the same rules as the resident form (`services.resident_values`), plus what only a
file can get wrong: missing columns, unknown buildings, the same ID number twice in the file or
already in the ledger, two heads in one household. Problems are reported by row and column, in
Chinese. `ledger_import(dry_run=True)` only reports; otherwise it writes in bulk in one transaction
(one audit row for the import) — or raises and writes nothing.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from minqing.accounts.policy import has_perm_anywhere, scope_q
from minqing.core import crypto
from minqing.core.audit import audit_record
from minqing.core.errors import Conflict, PermissionDenied, ValidationError
from minqing.places.codes import community_code
from minqing.places.models import Place, PlaceKind

from .models import (CareTag, Household, LedgerImport, Move, MoveKind, PoliticalStatus, Relation, Resident,
                     ResidentTag, Sex)
from .services import apply_identity, resident_values

# (key, header, required). The header is what the template shows and what the import looks for.
COLUMNS = [
    ("building", "楼栋", True),
    ("room", "门牌/房号", True),
    ("name", "姓名", True),
    ("relation", "与户主关系", True),
    ("id_number", "身份证号", True),
    ("sex", "性别", False),
    ("birth_date", "出生日期", False),
    ("phone", "联系电话", False),
    ("is_floating", "流动人口", False),
    ("registered_place", "户籍地", False),
    ("occupation", "工作单位/职业", False),
    ("tags", "关爱标签", False),
    ("moved_in_on", "迁入日期", False),
    ("notes", "备注", False),
    ("political_status", "政治面貌", False),
]
HEADERS = {key: header for key, header, _required in COLUMNS}
RELATION_BY_LABEL = {str(label): value for value, label in Relation.choices}
SEX_BY_LABEL = {"男": Sex.MALE, "女": Sex.FEMALE}
POLITICAL_BY_LABEL = {str(label): value for value, label in PoliticalStatus.choices}
YES, NO = {"是", "Y", "y", "1", "√", "TRUE", "True"}, {"否", "N", "n", "0", "", "FALSE", "False"}
_TAG_SPLIT = re.compile(r"[、,，;；\s]+")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
MAX_ROWS = 50_000


@dataclass
class Issue:
    row: int
    column: str  # spreadsheet letter, "" for the whole row
    header: str
    message: str


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    households_new: int = 0
    households_existing: int = 0
    residents_new: int = 0
    issues: list[Issue] = field(default_factory=list)
    applied: bool = False
    ledger_import: LedgerImport | None = None

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class _Row:
    number: int
    building: Place
    room: str
    values: dict
    profile: dict
    tags: list[CareTag]
    moved_in_on: datetime.date | None


class _Sheet:
    """The residents sheet read into rows of plain strings/dates, with each header's column letter."""

    def __init__(self, file):
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook["居民"] if "居民" in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, ()) or ()
        self.index = {}
        for position, title in enumerate(header_row):
            title = str(title or "").strip().rstrip("*").strip()
            key = next((k for k, h in HEADERS.items() if h == title), None)
            if key and key not in self.index:
                self.index[key] = position
        self.rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
        workbook.close()

    def letter(self, key: str) -> str:
        return get_column_letter(self.index[key] + 1) if key in self.index else ""

    def cell(self, row: tuple, key: str):
        position = self.index.get(key)
        value = row[position] if position is not None and position < len(row) else None
        return value.strip() if isinstance(value, str) else value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date | None:
    """A date cell, or text like 1965-03-02 / 1965/3/2 / 1965年3月2日 / 19650302. Raises ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    return datetime.date(*map(int, match.groups()))


class _Validator:
    def __init__(self, *, actor, sheet: _Sheet, report: ImportReport):
        self.actor, self.sheet, self.report = actor, sheet, report
        buildings = Place.objects.filter(scope_q(actor, "ledger.import", field="code"), kind=PlaceKind.BUILDING)
        self.by_code = {b.code: b for b in buildings}
        by_name: dict[str, list[Place]] = {}
        for b in buildings:
            by_name.setdefault(b.name, []).append(b)
        self.by_name = by_name
        self.tags = {t.name: t for t in CareTag.objects.filter(is_active=True)}
        self.first_row_of_hash: dict[str, int] = {}

    def issue(self, number: int, key: str, message: str) -> None:
        self.report.issues.append(Issue(number, self.sheet.letter(key), HEADERS.get(key, ""), message))

    def check_repeated(self, number: int, id_number: str) -> None:
        id_hash = crypto.lookup_hash(id_number)
        first = self.first_row_of_hash.setdefault(id_hash, number)
        if first != number:
            self.issue(number, "id_number", _("身份证号与第 %(n)d 行重复。") % {"n": first})

    def check_taken(self) -> None:
        """ID numbers already in the ledger: one query per 900 numbers, not one per row."""
        hashes = list(self.first_row_of_hash)
        taken = set()
        for start in range(0, len(hashes), 900):  # SQLite limits the number of query parameters
            taken.update(Resident.objects.filter(id_number_hash__in=hashes[start:start + 900])
                         .values_list("id_number_hash", flat=True))
        for id_hash in taken:
            self.issue(self.first_row_of_hash[id_hash], "id_number", _("该身份证号已在台账中登记。"))

    def building(self, number: int, raw) -> Place | None:
        text = _text(raw)
        found = self.by_code.get(text) or (self.by_name[text][0] if len(self.by_name.get(text, ())) == 1 else None)
        if found is None:
            message = (_("楼栋名称“%(b)s”不唯一，请填写楼栋编码。") if len(self.by_name.get(text, ())) > 1
                       else _("未知楼栋“%(b)s”（请使用模板“楼栋”页中的编码或名称）。"))
            self.issue(number, "building", message % {"b": text})
        return found

    def row(self, number: int, raw: tuple) -> _Row | None:
        cell = lambda key: self.sheet.cell(raw, key)  # noqa: E731
        before = len(self.report.issues)
        for key, header, required in COLUMNS:
            if required and _text(cell(key)) == "":
                self.issue(number, key, _("缺少必填项“%(h)s”。") % {"h": header})
        if len(self.report.issues) > before:
            return None
        building = self.building(number, cell("building"))
        relation = RELATION_BY_LABEL.get(_text(cell("relation")), _text(cell("relation")))
        sex_text = _text(cell("sex"))
        if sex_text and sex_text not in SEX_BY_LABEL:
            self.issue(number, "sex", _("性别应填“男”或“女”。"))
        dates = {}
        for key in ("birth_date", "moved_in_on"):
            try:
                dates[key] = _date(cell(key))
            except ValueError:
                self.issue(number, key, _("日期“%(v)s”无法识别，请写成 1965-03-02。") % {"v": _text(cell(key))})
                dates[key] = None
        id_cell = cell("id_number")
        if isinstance(id_cell, float):
            self.issue(number, "id_number", _("身份证号被 Excel 存成了数字，末几位已丢失；请将该列设为文本后重填。"))
        values, errors = resident_values(name=_text(cell("name")), relation=relation,
                                         id_number="" if isinstance(id_cell, float) else _text(id_cell),
                                         phone=_text(cell("phone")), sex=SEX_BY_LABEL.get(sex_text, ""),
                                         birth_date=dates["birth_date"])
        for key, messages in errors.items():
            for message in messages:
                self.issue(number, key, message)
        if "id_number" in values:
            self.check_repeated(number, values["id_number"])
        floating = _text(cell("is_floating"))
        if floating not in YES | NO:
            self.issue(number, "is_floating", _("流动人口应填“是”或“否”。"))
        political = _text(cell("political_status"))
        if political and political not in POLITICAL_BY_LABEL:
            self.issue(number, "political_status", _("政治面貌应为：%(v)s。") % {"v": "、".join(POLITICAL_BY_LABEL)})
        tags = []
        for name in filter(None, _TAG_SPLIT.split(_text(cell("tags")))):
            if name in self.tags:
                tags.append(self.tags[name])
            else:
                self.issue(number, "tags", _("未知关爱标签“%(t)s”。") % {"t": name})
        if len(self.report.issues) > before or building is None:
            return None
        profile = {"is_floating": floating in YES, "registered_place": _text(cell("registered_place"))[:100],
                   "occupation": _text(cell("occupation"))[:100], "notes": _text(cell("notes")),
                   "political_status": POLITICAL_BY_LABEL.get(political, "")}
        return _Row(number, building, _text(cell("room"))[:30], values, profile, tags, dates["moved_in_on"])


def _check_heads(validator: _Validator, rows: list[_Row], existing: dict) -> None:
    heads: dict[tuple, int] = {}
    for row in rows:
        if row.values["relation"] != Relation.HEAD:
            continue
        key = (row.building.pk, row.room)
        if key in heads:
            validator.issue(row.number, "relation", _("同一户（%(b)s%(r)s）有两个户主：第 %(n)d 行和本行。") % {
                "b": row.building.name, "r": row.room, "n": heads[key]})
        elif key in existing and existing[key].head_id:
            validator.issue(row.number, "relation", _("%(b)s%(r)s 在台账中已有户主。") % {
                "b": row.building.name, "r": row.room})
        heads.setdefault(key, row.number)


def _existing_households(rows: list[_Row]) -> dict:
    buildings = {row.building.pk for row in rows}
    households = Household.objects.filter(building_id__in=buildings, is_active=True).order_by("id")
    found = {}
    for household in households:
        found.setdefault((household.building_id, household.room), household)
    return found


def ledger_import(*, actor, file, filename: str, dry_run: bool = True) -> ImportReport:
    """Validate (and unless dry_run, apply) an .xlsx ledger. Raises ValidationError on an unreadable file."""
    if not has_perm_anywhere(actor, "ledger.import"):
        raise PermissionDenied()
    report = ImportReport(filename=filename)
    try:
        sheet = _Sheet(file)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError(fields={"file": [_("无法读取该文件，请上传 .xlsx 格式的表格。")]}) from exc
    validator = _Validator(actor=actor, sheet=sheet, report=report)
    for key, header, required in COLUMNS:
        if required and key not in sheet.index:
            report.issues.append(Issue(1, "", header, _("表头缺少“%(h)s”列。") % {"h": header}))
    if report.issues:
        return report
    if len(sheet.rows) > MAX_ROWS:
        raise ValidationError(fields={"file": [_("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_ROWS}]})
    report.rows = len(sheet.rows)
    rows = [row for number, raw in enumerate(sheet.rows, start=2) if (row := validator.row(number, raw))]
    sealed = []
    for row in rows:
        resident = Resident(place_code=row.building.code, **row.profile)
        apply_identity(resident, row.values)
        sealed.append((row, resident))
    validator.check_taken()
    existing = _existing_households(rows)
    _check_heads(validator, rows, existing)
    report.issues.sort(key=lambda issue: (issue.row, issue.column))
    keys = {(row.building.pk, row.room) for row in rows}
    report.households_existing = len(keys & set(existing))
    report.households_new = len(keys) - report.households_existing
    report.residents_new = len(rows)
    if report.ok and not dry_run:
        try:
            _apply(actor=actor, report=report, sealed=sealed, existing=existing)
        except IntegrityError as exc:  # two confirmations of one file at once: one wins (issue 13.9)
            raise Conflict(_("这些居民刚刚已由他人导入（身份证号已登记），请刷新台账查看。")) from exc
    return report


@transaction.atomic
def _apply(*, actor, report: ImportReport, sealed: list[tuple[_Row, Resident]], existing: dict) -> None:
    """Write everything in bulk. Any failure rolls the whole import back."""
    households = dict(existing)
    new = []
    for row, _resident in sealed:
        key = (row.building.pk, row.room)
        if key not in households:
            households[key] = Household(building=row.building, place_code=row.building.code, room=row.room)
            new.append(households[key])
    Household.objects.bulk_create(new, batch_size=1000)
    for row, resident in sealed:
        resident.household = households[(row.building.pk, row.room)]
    Resident.objects.bulk_create([resident for _row, resident in sealed], batch_size=1000)
    heads = []
    for row, resident in sealed:
        if resident.relation == Relation.HEAD and resident.household.head_id is None:
            resident.household.head = resident
            heads.append(resident.household)
    Household.objects.bulk_update(heads, ["head"], batch_size=1000)
    today, recorder = timezone.localdate(), actor if getattr(actor, "pk", None) else None
    Move.objects.bulk_create([
        Move(resident=resident, kind=MoveKind.IN, date=row.moved_in_on or today, to_household=resident.household,
             to_text=f"{row.building.name}{row.room}", reason=_("台账导入"), place_code=resident.place_code,
             recorded_by=recorder)
        for row, resident in sealed], batch_size=1000)
    ResidentTag.objects.bulk_create([
        ResidentTag(resident=resident, tag=tag, start_date=row.moved_in_on or today, place_code=resident.place_code)
        for row, resident in sealed for tag in row.tags], batch_size=1000)
    codes = sorted({row.building.code for row, _resident in sealed})
    common = community_code(codes[0]) if codes and all(community_code(c) == community_code(codes[0]) for c in codes) else ""
    report.ledger_import = LedgerImport.objects.create(
        actor=recorder, filename=report.filename[:200], row_count=report.rows,
        households_created=len(new), residents_created=len(sealed), place_code=common)
    audit_record(actor=actor, action="ledger.import", obj=report.ledger_import, changes={
        "filename": report.filename, "rows": report.rows, "households_created": len(new),
        "residents_created": len(sealed)})
    report.applied = True
