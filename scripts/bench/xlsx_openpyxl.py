"""The XLSX writer ROA2WEB had before XlsxWriter, openpyxl's write-only mode, kept for the benchmark's side by side.

The same layout as roa2web.exports.xlsx (title block, facts, shaded frozen header, money and date
formats, bold totals), reading the same streamed document: rows once, totals after the last row.
Not used by the app: scripts/bench/export_xlsx.py measured it about three times slower.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from roa2web.exports.cells import xlsx_cell, xlsx_value
from roa2web.exports.document import ExportDocument

MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
DATE_FORMAT = "dd.mm.yyyy"
INT_FORMAT = "#,##0"
_WIDTH = {"money": 16.0, "date": 12.0, "int": 10.0}
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_THIN = Side(style="thin", color="8A99B0")
ProgressCallback = Callable[[int, int], None]  # (rows written, rows in total)


def column_widths(document: ExportDocument, head: Sequence[Sequence[Any]]) -> list[float]:
    """Widths from the first rows' text (write-only sheets need them before any row is written)."""
    widths = []
    for index, column in enumerate(document.columns):
        if column.kind in _WIDTH:
            widths.append(_WIDTH[column.kind])  # the header wraps; numbers fit these
            continue
        longest = max((len(str(row[index])) for row in head if row[index] is not None), default=8)
        widths.append(float(min(max(longest + 2, 8), 50)))
    return widths


def _styled(sheet: WriteOnlyWorksheet, value: Any, kind: str, *, bold: bool = False) -> WriteOnlyCell:
    cell = xlsx_cell(sheet, value)
    if kind == "money":
        cell.number_format = MONEY_FORMAT
    elif kind == "date":
        cell.number_format = DATE_FORMAT
    elif kind == "int":
        cell.number_format = INT_FORMAT
    if bold:
        cell.font = Font(bold=True)
        cell.border = Border(top=_THIN)
    return cell


def _with_style(sheet: WriteOnlyWorksheet, value: Any, style: StyleArray) -> WriteOnlyCell:
    """A cell sharing a ready style (setting number_format per cell costs more than the cell itself)."""
    cell = xlsx_cell(sheet, value)
    cell._style = copy(style)
    return cell


def _preamble(sheet: WriteOnlyWorksheet, document: ExportDocument) -> int:
    """Title block above the table; returns how many rows it took."""
    title = xlsx_cell(sheet, document.title)
    title.font = Font(bold=True, size=14)
    rows: list[list[Any]] = [[title], [xlsx_value(sheet, document.subtitle)],
                             [xlsx_value(sheet, document.generated_label)]]
    for label, value in document.facts:
        label_cell = xlsx_cell(sheet, label)
        label_cell.font = Font(italic=True)
        kind = "money" if isinstance(value, Decimal) else "date" if isinstance(value, dt.date) else "text"
        rows.append([label_cell, _styled(sheet, value, kind)])
    rows.append([])
    for row in rows:
        sheet.append(row)
    return len(rows)


def write_xlsx(document: ExportDocument, path: Path, progress: ProgressCallback | None = None) -> None:
    """Write `document` to `path` (.xlsx), reading its rows once; `progress(done, expected)` every 2,000 rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=document.title[:31])
    head, rows = document.head_and_rows(200)
    for index, width in enumerate(column_widths(document, head), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(document.facts) + 5  # title, subtitle, generated, facts, blank, then the header
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _preamble(sheet, document)

    header = []
    for column in document.columns:
        cell = xlsx_cell(sheet, column.label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = Border(bottom=_THIN)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)

    kinds = [column.kind for column in document.columns]
    styles = [None if kind == "text" else _styled(sheet, None, kind)._style for kind in kinds]
    expected = document.rows_expected() or 0
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append([xlsx_value(sheet, value) if style is None else _with_style(sheet, value, style)
                      for value, style in zip(row, styles, strict=True)])
        if progress is not None and count % 2000 == 0:
            progress(count, max(expected, count))
    totals = document.totals_row()
    if totals is not None:
        if totals and totals[0] is None:
            totals[0] = "TOTAL"
        sheet.append([_styled(sheet, value, kind, bold=True) for value, kind in zip(totals, kinds, strict=True)])
    workbook.save(path)
    if progress is not None:
        progress(count, max(expected, count))
