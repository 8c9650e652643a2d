"""Excel out: the import template, and any filtered resident list — masked, always.

A list export contains only masked ID numbers and phones (the same text the pages show) and is audited
as one row naming the filter and the number of residents, so a bulk download leaves a trace.
"""
from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from minqing.accounts.policy import ensure_can, has_perm_anywhere, scope_q
from minqing.core.audit import audit_record
from minqing.core.errors import NotFound
from minqing.places.codes import community_code, grid_code
from minqing.core.spreadsheet import append_row
from minqing.places.models import Place, PlaceKind

from .importing import COLUMNS, POLITICAL_BY_LABEL, RELATION_BY_LABEL
from .models import CareTag, ResidentTag
from .privacy import actor_place_code
from .selectors import ResidentFilter, resident_list

EXPORT_COLUMNS = ["楼栋编码", "楼栋", "门牌/房号", "姓名", "性别", "出生日期", "年龄", "与户主关系", "身份证号", "联系电话",
                  "流动人口", "户籍地", "状态", "关爱标签"]


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template(*, actor) -> bytes:
    """An empty residents sheet with the right headers (ID and phone as text), instructions, and the
    buildings the actor may import into."""
    if not has_perm_anywhere(actor, "ledger.import"):
        raise NotFound()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append([f"{header}*" if required else header for _key, header, required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, (key, _header, _required) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.column_dimensions[letter].width = 20 if key in ("id_number", "building") else 12
        if key in ("id_number", "phone", "building", "room"):
            for row in range(2, 2002):  # text format, so Excel keeps all 18 digits
                sheet.cell(row=row, column=position).number_format = "@"
        choices = {"relation": list(RELATION_BY_LABEL), "sex": ["男", "女"], "is_floating": ["是", "否"],
                   "political_status": list(POLITICAL_BY_LABEL)}.get(key)
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    notes = workbook.create_sheet("说明")
    for line in [
        _("每行一位居民；楼栋与门牌/房号相同的行为同一户。带 * 的列必填。"),
        _("楼栋：填写“楼栋”页中的编码（或在您范围内唯一的楼栋名称）。"),
        _("与户主关系：%(r)s。每户最多一位户主。") % {"r": "、".join(RELATION_BY_LABEL)},
        _("身份证号：18 位（末位可为 X）或 15 位；出生日期和性别可不填，由身份证号推出。"),
        _("日期写成 1965-03-02；流动人口填“是”或“否”；关爱标签可填多个，用顿号分隔：%(t)s。") % {
            "t": "、".join(CareTag.objects.filter(is_active=True).values_list("name", flat=True))},
        _("导入前请先“试导入”检查；有任何错误时整个文件都不会导入。"),
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buildings = workbook.create_sheet("楼栋")
    buildings.append(["编码", "楼栋", "所属"])
    scoped = Place.objects.filter(scope_q(actor, "ledger.import", field="code"), kind=PlaceKind.BUILDING)
    parents = {p.code: p.name for p in Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID],
                                                             code__in={c for b in scoped for c in (community_code(b.code), grid_code(b.code))})}
    for building in scoped[:5000]:
        buildings.append([building.code, building.name,
                          f"{parents.get(community_code(building.code), '')} {parents.get(grid_code(building.code), '')}"])
    buildings.column_dimensions["A"].width = 22
    return _save(workbook)


def resident_list_export(*, actor, filters: ResidentFilter) -> tuple[str, bytes]:
    """The filtered list as .xlsx (filename, content), masked; audited once."""
    if filters.place_code:
        ensure_can(actor, "ledger.view", filters.place_code)
    elif not has_perm_anywhere(actor, "ledger.view"):
        raise NotFound()
    residents = resident_list(actor=actor, filters=filters)
    tag_names = {}
    current = ResidentTag.objects.current().filter(resident__in=residents.values("pk")).values_list(
        "resident_id", "tag__name")
    for resident_id, name in current:
        tag_names.setdefault(resident_id, []).append(name)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append([_("筛选条件"), filters.text(), _("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append(EXPORT_COLUMNS)
    count = 0
    for r in residents.iterator(chunk_size=2000):
        household = r.household
        append_row(sheet, [
            r.place_code, household.building.name if household else "", household.room if household else "",
            r.name, r.get_sex_display(), r.birth_date_shown, r.age, r.get_relation_display(), r.id_number_masked,
            r.phone_masked, "是" if r.is_floating else "否", r.registered_place, r.get_status_display(),
            "、".join(tag_names.get(r.pk, [])),
        ])
        count += 1
    # the place the export covers, so supervisors of that place see bulk exports (issue 13.8)
    place_code = filters.place_code or actor_place_code(actor, "ledger.view")
    audit_record(actor=actor, action="ledger.export", obj=actor, place_code=place_code,
                 changes={"filters": filters.describe(), "count": count})
    return f"residents-{timezone.localtime():%Y%m%d-%H%M}.xlsx", _save(workbook)


