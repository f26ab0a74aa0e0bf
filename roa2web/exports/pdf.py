"""PDF with fpdf2 and an embedded Unicode font (so ș ț ă î â print).

A4 landscape; the title, company, period and generation time on every page with the column
headings; page numbers; totals. The rows are read once, as the pages fill: a page is laid out
from the rows the document hands over, then the next rows are read. fpdf2 keeps the laid-out
pages until the file is written (about 1 kB a row, compressed when written).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from PIL import Image

from roa2web.exports.document import ExportDocument
from roa2web.exports.fonts import font_files
from roa2web.exports.numbers import format_value

ProgressCallback = Callable[[int, int], None]
FONT = "roa2web-sans"
PICTURE_BESIDE_SHARE = 0.55  # of the page's width, right of the facts (which take the left 40 %)
_WEIGHTS = {"money": 1.55, "date": 1.15, "int": 0.85}
_HEADER_FILL = (221, 228, 238)


def column_weights(document: ExportDocument, head: Sequence[Sequence[Any]]) -> list[float]:
    """Relative widths: fixed for numbers and dates, from the first rows' (`head`) text length for text."""
    weights = []
    for index, column in enumerate(document.columns):
        if column.kind in _WEIGHTS:
            weights.append(_WEIGHTS[column.kind])
            continue
        longest = max((len(str(row[index])) for row in head if row[index] is not None), default=4)
        weights.append(max(0.75, min(max(longest, len(max(column.label.split(), key=len))), 40) / 7.5))
    return weights


class ReportPdf(FPDF):
    """One report: page header (title, company, period, generated, column headings) and footer."""

    def __init__(self, document: ExportDocument, head: Sequence[Sequence[Any]]) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.document = document
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=14)
        self.font_size_pt_table = 7.0 if len(document.columns) > 8 else 8.0
        self.row_height = 4.6 if self.font_size_pt_table < 8 else 5.2
        weights = column_weights(document, head)
        self.widths = [self.epw * weight / sum(weights) for weight in weights]
        self._fit_numbers()
        self.aligns = ["R" if column.kind in ("money", "int") else "C" if column.kind == "date" else "L"
                       for column in document.columns]
        self.set_title(document.title)
        self.set_creator("ROA2WEB")

    def _fit_numbers(self) -> None:
        """Widen number and date columns to their widest likely value, taking the room from the text columns.

        The rows stream in, so the totals (the widest amounts) are not known when the widths are
        set: a money column fits 9.999.999.999,99 in bold.
        """
        self.set_font(FONT, "B", self.font_size_pt_table)
        samples = {"money": "-9.999.999.999,99", "date": "31.12.2025", "int": "9.999.999"}
        needed = [self.get_string_width(samples[column.kind]) + 2 * self.c_margin if column.kind in samples else 0.0
                  for column in self.document.columns]
        short = sum(max(0.0, need - width) for need, width in zip(needed, self.widths, strict=True))
        text = [index for index, column in enumerate(self.document.columns) if column.kind not in samples]
        room = sum(self.widths[index] for index in text)
        if short <= 0 or room - short < len(text) * 15.0:  # text columns keep 15 mm each, or nothing moves
            return
        for index, need in enumerate(needed):
            self.widths[index] = max(self.widths[index], need)
        squares = sum(self.widths[index] ** 2 for index in text)  # the wide text columns give the most
        for index in text:
            self.widths[index] -= min(short * self.widths[index] ** 2 / squares, self.widths[index] - 15.0)

    def header(self) -> None:
        """Title block and the column headings on every page."""
        self.set_font(FONT, "B", 12)
        self.cell(0, 6, self.document.title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8.5)
        self.cell(self.epw * 0.7, 4.5, self.document.subtitle)
        self.cell(0, 4.5, self.document.generated_label, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self._headings()

    def _headings(self) -> None:
        self.set_font(FONT, "B", self.font_size_pt_table)
        line = self.font_size_pt_table * 0.45
        lines = max(self._line_count(width, line, column.label)
                    for width, column in zip(self.widths, self.document.columns, strict=True))
        height = lines * line + 1.5
        top, x = self.get_y(), self.l_margin
        self.set_fill_color(*_HEADER_FILL)
        for width, column in zip(self.widths, self.document.columns, strict=True):
            self.rect(x, top, width, height, style="DF")
            self.set_xy(x, top + 0.75)
            self.multi_cell(width, line, column.label, align="C")
            x += width
        self.set_xy(self.l_margin, top + height)

    def _line_count(self, width: float, line: float, text: str) -> int:
        lines: Any = self.multi_cell(width, line, text, dry_run=True, output="LINES")
        return len(lines)

    def footer(self) -> None:
        """'Pagina 3 din 12'."""
        self.set_y(-10)
        self.set_font(FONT, "", 7.5)
        self.cell(0, 5, f"Pagina {self.page_no()} din {{nb}}", align="C")

    def _fit(self, text: str, width: float) -> str:
        limit = width - 2 * self.c_margin
        if self.get_string_width(text) <= limit:
            return text
        while text and self.get_string_width(text + "…") > limit:
            text = text[:-1]
        return text + "…"

    def row(self, values: Sequence[Any]) -> None:
        """One table row; long text is cut to its column with an ellipsis."""
        self.set_font(FONT, "", self.font_size_pt_table)
        if self.will_page_break(self.row_height):
            self.add_page()
        for value, width, align, column in zip(values, self.widths, self.aligns, self.document.columns, strict=True):
            self.cell(width, self.row_height, self._fit(format_value(value, column.kind), width), border="LRB",
                      align=align)
        self.ln(self.row_height)

    def totals(self, values: Sequence[Any]) -> None:
        """The bold totals row; "TOTAL" spans the empty text columns it starts with."""
        self.set_font(FONT, "B", self.font_size_pt_table)
        if self.will_page_break(self.row_height):
            self.add_page()
        span = 1
        while span < len(values) and values[span] is None and self.document.columns[span].kind == "text":
            span += 1
        label = values[0] if values[0] is not None else "TOTAL"
        self.cell(sum(self.widths[:span]), self.row_height, str(label), border=1)
        for index in range(span, len(values)):
            column, width = self.document.columns[index], self.widths[index]
            self.cell(width, self.row_height, self._fit(format_value(values[index], column.kind), width), border=1,
                      align=self.aligns[index])
        self.ln(self.row_height)

    def facts(self) -> None:
        """The report's summary facts under the table."""
        if not self.document.facts:
            return
        self.ln(3)
        for label, value in self.document.facts:
            if self.will_page_break(5):
                self.add_page()
            self.set_font(FONT, "", 8)
            self.cell(70, 4.5, f"{label}:")
            self.set_font(FONT, "B", 8)
            self.cell(0, 4.5, format_value(value), new_x="LMARGIN", new_y="NEXT")


    def picture(self, beside_from: float) -> None:
        """The document's picture (a chart), right of the facts if it fits there, else under them.

        `beside_from`: where the facts start. Under them it is as wide as the page, on a new page if need be.
        """
        if self.document.picture is None:
            return
        with Image.open(io.BytesIO(self.document.picture)) as image:
            ratio = image.height / image.width
        width = self.epw * PICTURE_BESIDE_SHARE
        if beside_from + width * ratio <= self.page_break_trigger:
            self.image(io.BytesIO(self.document.picture), x=self.l_margin + self.epw - width, y=beside_from,
                       w=width, h=width * ratio)
            return
        self.ln(4)
        if self.will_page_break(self.epw * ratio):
            self.add_page()
        self.image(io.BytesIO(self.document.picture), x=self.l_margin, w=self.epw, h=self.epw * ratio)


def write_pdf(document: ExportDocument, path: Path, progress: ProgressCallback | None = None) -> None:
    """Write `document` to `path` (.pdf), reading its rows once; `progress(done, expected)` every 500 rows."""
    head, rows = document.head_and_rows(200)
    pdf = ReportPdf(document, head)
    del head
    pdf.add_page()
    expected = document.rows_expected() or 0
    count = 0
    for values in rows:
        pdf.row(values)
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count, max(expected, count))
    totals = document.totals_row()
    if totals is not None:
        pdf.totals(totals)
    facts_top = pdf.get_y()
    pdf.facts()
    pdf.picture(beside_from=facts_top + 3)
    pdf.output(str(path))
    if progress is not None:
        progress(count, max(expected, count))
