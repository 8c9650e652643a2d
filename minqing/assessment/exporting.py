"""The ranking as Excel: one row per community or staff member, every indicator's score, numbers as numbers."""
from __future__ import annotations

import io

from openpyxl import Workbook
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from . import indicators


def _safe(text: str) -> str:
    """Never a formula from data: a leading =, +, - or @ is written as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def ranking_xlsx(scheme, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("排名")
    codes = [i.code for i in scheme.indicators.all()]
    labels = [str(indicators.REGISTRY[c].label) if c in indicators.REGISTRY else c for c in codes]
    weights = {i.code: i.weight for i in scheme.indicators.all()}
    sheet.append([_safe(scheme.name), f"{scheme.period_start:%Y-%m-%d} ~ {scheme.period_end:%Y-%m-%d}"])
    sheet.append([_("名次"), _("考核对象"), _("总分"), _("数据覆盖权重"),
                  *[_("%(label)s（权重 %(weight)d）") % {"label": label, "weight": weights[c]}
                    for c, label in zip(codes, labels)]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=3):  # numbered here: openpyxl's max_row reads every cell's key
        values = [row.rank, _safe(row.name), row.total, round(row.coverage, 4),
                  *[row.scores[c].score if c in row.scores else None for c in codes]]
        sheet.append(values)
        sheet.cell(number, 4).number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
