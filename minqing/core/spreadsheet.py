"""Writing rows of user text into .xlsx files without formula injection (CSV/Excel injection).

openpyxl stores any string starting with "=" as a formula, so a resident's note `=HYPERLINK(…)` became
a live link in every export (issue 13.9). `append_row` writes such strings as text cells: the value is
kept exactly, Excel shows it and never evaluates it.
"""
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def append_row(sheet, values) -> None:
    values = list(values)
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([_text_cell(sheet, v) if is_risky(v) else v for v in values])
        return
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if is_risky(value):
            sheet.cell(row=sheet.max_row, column=column).data_type = "s"


def _text_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
