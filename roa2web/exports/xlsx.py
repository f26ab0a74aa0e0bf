"""XLSX with XlsxWriter in constant-memory mode: each row goes to disk as soon as the next one starts.

Chosen over openpyxl's write-only mode by scripts/bench/export_xlsx.py (both side by side: about
three times faster for the same file, memory flat in both). Layout: title, company and period,
generation time, the report's summary facts, then the table (bold shaded header frozen in place,
money as numbers with two decimals, dates as dates) and a bold totals row. Text is always written
as a string cell, never a formula, and goes through `write_text` (a partner called
`=HYPERLINK(...)` stays text, and one called `<r>…</r>` cannot write the sheet's XML).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from roa2web.exports.cells import neutralized
from roa2web.exports.document import ExportDocument

MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
DATE_FORMAT = "dd.mm.yyyy"
INT_FORMAT = "#,##0"
_WIDTH = {"money": 16.0, "date": 12.0, "int": 10.0}
_HEADER_FILL = "#DDE4EE"
_THIN = "#8A99B0"
PROGRESS_EVERY = 2000
ProgressCallback = Callable[[int, int], None]  # (rows written, rows expected)
type CellWriter = Callable[[int, int, Any], None]


def write_text(sheet: Worksheet, row: int, col: int, value: str, cell_format: Format | None = None) -> None:
    """`value` as a string cell, neutralized (`cells.neutralized`), its characters escaped whatever they are.

    In constant-memory mode XlsxWriter copies a string that starts with `<r>` and ends with `</r>`
    into the sheet's XML as it is (its own rich strings look like that): a partner named so could
    write any cell, a formula included. Such a text is written as rich text of plain pieces instead,
    which XlsxWriter escapes; the cell reads the same.
    """
    text = neutralized(value)
    if text.startswith("<r>") and text.endswith("</r>"):
        pieces: list[Any] = [text[:1], text[1:-1], text[-1:]]
        sheet.write_rich_string(row, col, *pieces, *([cell_format] if cell_format is not None else []))
    else:
        sheet.write_string(row, col, text, cell_format)


def column_widths(document: ExportDocument, head: Sequence[Sequence[Any]]) -> list[float]:
    """Widths from the first rows' text (rows stream out, so widths are set before any is written)."""
    widths = []
    for index, column in enumerate(document.columns):
        if column.kind in _WIDTH:
            widths.append(_WIDTH[column.kind])  # the header wraps; numbers fit these
            continue
        longest = max((len(str(row[index])) for row in head if row[index] is not None), default=8)
        widths.append(float(min(max(longest + 2, 8), 50)))
    return widths


class _Cells:
    """Writes one value of a column kind into a cell, with the kind's shared format."""

    def __init__(self, book: xlsxwriter.Workbook, sheet: Worksheet, *, bold: bool = False) -> None:
        extra: dict[str, Any] = {"bold": True, "top": 1, "top_color": _THIN} if bold else {}
        self.sheet = sheet
        self.text_format = book.add_format(extra) if bold else None
        self.formats: dict[str, Format | None] = {
            "money": book.add_format({"num_format": MONEY_FORMAT, **extra}),
            "date": book.add_format({"num_format": DATE_FORMAT, **extra}),
            "int": book.add_format({"num_format": INT_FORMAT, **extra}),
            "text": self.text_format,
        }

    def write(self, row: int, col: int, value: Any, kind: str) -> None:
        """`value` at (row, col): text as a string cell, numbers as numbers, dates as dates."""
        sheet, cell_format = self.sheet, self.formats[kind]
        if value is None:
            if cell_format is not None and self.text_format is not None:
                sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            write_text(sheet, row, col, value, self.text_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, cell_format)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(row, col, float(value), cell_format)
        elif isinstance(value, (dt.date, dt.datetime)):
            sheet.write_datetime(row, col, value, cell_format or self.formats["date"])
        else:
            write_text(sheet, row, col, str(value), self.text_format)


def _body_writers(cells: _Cells, kinds: Sequence[str]) -> list[CellWriter]:
    """One fast writer per column for the body rows (the kind's format bound once)."""
    sheet = cells.sheet
    writers: list[CellWriter] = []
    for kind in kinds:
        cell_format = cells.formats[kind]
        if kind == "money" or kind == "int":
            def number(row: int, col: int, value: Any, cell_format: Any = cell_format, kind: str = kind) -> None:
                if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    sheet.write_number(row, col, float(value), cell_format)
                elif value is not None:
                    cells.write(row, col, value, kind)
            writers.append(number)
        elif kind == "date":
            def date(row: int, col: int, value: Any, cell_format: Any = cell_format) -> None:
                if isinstance(value, dt.date):
                    sheet.write_datetime(row, col, value, cell_format)
                elif value is not None:
                    cells.write(row, col, value, "date")
            writers.append(date)
        else:
            def text(row: int, col: int, value: Any) -> None:
                if isinstance(value, str):
                    if value:
                        write_text(sheet, row, col, value)
                elif value is not None:
                    cells.write(row, col, value, "text")
            writers.append(text)
    return writers


def _preamble(book: xlsxwriter.Workbook, sheet: Worksheet, cells: _Cells, document: ExportDocument) -> int:
    """Title block above the table; returns the index of the row after it."""
    write_text(sheet, 0, 0, document.title, book.add_format({"bold": True, "font_size": 14}))
    write_text(sheet, 1, 0, document.subtitle)
    write_text(sheet, 2, 0, document.generated_label)
    italic = book.add_format({"italic": True})
    row = 3
    for label, value in document.facts:
        write_text(sheet, row, 0, label, italic)
        kind = "money" if isinstance(value, Decimal) else "date" if isinstance(value, dt.date) else "text"
        cells.write(row, 1, value, kind)
        row += 1
    return row + 1  # a blank row before the table


def write_xlsx(
    document: ExportDocument, path: Path, progress: ProgressCallback | None = None, *, scratch: Path | None = None
) -> None:
    """Write `document` to `path` (.xlsx), reading its rows once; `progress(done, expected)` every 2,000 rows.

    XlsxWriter keeps each sheet's rows in an unnamed temporary file under `scratch` (DATA_DIR/tmp in
    the app; the system's temporary folder when None) until it assembles the file.
    """
    options: dict[str, object] = {"constant_memory": True, "in_memory": False}
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        options["tmpdir"] = str(scratch)
    book = xlsxwriter.Workbook(str(path), options)
    expected = document.rows_expected() or 0
    count = 0
    try:
        sheet = book.add_worksheet(document.title[:31])
        head, rows = document.head_and_rows(200)
        for index, width in enumerate(column_widths(document, head)):
            sheet.set_column(index, index, width)
        header_row = len(document.facts) + 4  # title, subtitle, generated, facts, blank, then the header
        sheet.freeze_panes(header_row + 1, 0)
        sheet.repeat_rows(header_row)
        cells = _Cells(book, sheet)
        _preamble(book, sheet, cells, document)

        header = book.add_format({"bold": True, "bg_color": _HEADER_FILL, "pattern": 1, "bottom": 1,
                                  "bottom_color": _THIN, "text_wrap": True, "valign": "vcenter"})
        for col, column in enumerate(document.columns):
            write_text(sheet, header_row, col, column.label, header)

        kinds = [column.kind for column in document.columns]
        writers = list(enumerate(_body_writers(cells, kinds)))
        row = header_row
        for values in rows:
            row += 1
            count += 1
            for (col, writer), value in zip(writers, values, strict=True):
                writer(row, col, value)
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count, max(expected, count))
        totals = document.totals_row()
        if totals is not None:
            if totals and totals[0] is None:
                totals[0] = "TOTAL"
            bold = _Cells(book, sheet, bold=True)
            for col, (value, kind) in enumerate(zip(totals, kinds, strict=True)):
                bold.write(row + 1, col, value, kind)
    finally:
        book.close()
    if progress is not None:
        progress(count, max(expected, count))
