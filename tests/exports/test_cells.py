"""Cells of every spreadsheet and CSV: text a spreadsheet would run is quoted (OWASP), numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from roa2web.exports.cells import csv_field, csv_row, neutralized
from roa2web.exports.document import ExportColumn, ExportDocument
from roa2web.exports.xlsx import write_xlsx

ATTACKS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
           "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_starting_like_a_formula_gets_a_leading_quote(text):
    assert neutralized(text) == "'" + text
    assert csv_field(text) == "'" + text


@pytest.mark.parametrize("value", ["ALFA PETROL SRL", "37", "RO12345674", "", "a=b", " =1", "'=already"])
def test_other_text_is_left_alone(value):
    assert neutralized(value) == value


def test_numbers_and_dates_keep_their_type():
    assert neutralized(Decimal("-12.50")) == Decimal("-12.50")
    assert neutralized(-3) == -3
    assert csv_row([Decimal("-12.50"), Decimal("374.10"), -3, 1.5, dt.date(2025, 12, 15), None, True]) == [
        "-12.50", "374.10", "-3", "1.5", "2025-12-15", "", "1"]


def test_a_report_xlsx_writes_formula_text_as_strings_and_money_as_numbers(tmp_path):
    columns = [ExportColumn("Partener", "text"), ExportColumn("Document", "text"), ExportColumn("Sold", "money"),
               ExportColumn("Data", "date"), ExportColumn("Nr.", "int")]
    rows = [[text, "#N/A", Decimal("-121.00"), dt.date(2025, 3, 1), -4] for text in ATTACKS]
    document = ExportDocument(
        title="Facturi neîncasate", company='=HYPERLINK("http://x","firma")', company_cif="RO1",
        period="Perioada: martie 2025", generated_at=dt.datetime(2025, 4, 3, tzinfo=dt.UTC),
        facts=[("-Sold total", Decimal("-847.00"))], columns=columns, rows=rows,
        totals=[None, "=1+1", Decimal("-847.00"), None, None])
    path = tmp_path / "facturi.xlsx"
    write_xlsx(document, path)

    sheet = openpyxl.load_workbook(path).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.coordinate for cell in cells if isinstance(cell.value, str) and cell.value[0] in "=+-@\t\r"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x","firma") (CIF RO1) · Perioada: martie 2025'
    assert (sheet["A4"].value, sheet["B4"].value) == ("'-Sold total", Decimal("-847.00"))

    header_row = len(document.facts) + 5
    body = list(sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(rows)))
    for row, text in zip(body, ATTACKS, strict=True):
        partner, number, balance, day, count = row
        # a CR is written as OOXML's escape _x000D_ (Excel reads it back as CR; openpyxl leaves it escaped)
        assert (partner.data_type, partner.value) == ("s", "'" + text.replace("\r", "_x000D_"))
        assert (number.data_type, number.value) == ("s", "#N/A")  # text, not Excel's error value
        assert (balance.data_type, balance.value) == ("n", -121)
        assert (day.is_date, count.data_type, count.value) == (True, "n", -4)
    totals = sheet[header_row + len(rows) + 1]
    assert (totals[1].data_type, totals[1].value) == ("s", "'=1+1")
    assert (totals[2].data_type, totals[2].value) == ("n", -847)


def test_csv_rows_read_back_as_neutralized_text():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(["Furnizor", "Sumă"]))
    for text in ATTACKS:
        writer.writerow(csv_row([text, Decimal("-5.00")]))
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[1:] == [["'" + text, "-5.00"] for text in ATTACKS]


def test_text_shaped_like_xlsxwriters_rich_xml_stays_text(tmp_path):
    """XlsxWriter copies a string `<r>…</r>` into the sheet's XML as it is; a partner named so writes no cell."""
    injected = '<r><t>x</t></r></is></c><c r="Z1"><f>1+1</f></c><c r="Z2" t="inlineStr"><is><r><t>y</t></r>'
    columns = [ExportColumn("Partener", "text"), ExportColumn("Sold", "money")]
    document = ExportDocument(
        title="Facturi", company=injected, company_cif="RO1", period="", generated_at=dt.datetime(2025, 4, 3,
                                                                                                   tzinfo=dt.UTC),
        facts=[(injected, injected)], columns=columns, rows=[[injected, Decimal("1.00")], ["<r>", None]],
        totals=[injected, Decimal("1.00")])
    path = tmp_path / "xml.xlsx"
    write_xlsx(document, path)

    sheet = openpyxl.load_workbook(path).active
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert not [cell.coordinate for cell in cells.values() if cell.data_type == "f" or cell.column > 2]
    header_row = len(document.facts) + 5
    assert sheet.cell(header_row + 1, 1).value == injected and sheet.cell(header_row + 2, 1).value == "<r>"
    assert sheet.cell(header_row + 3, 1).value == injected and sheet["A4"].value == sheet["B4"].value == injected
    assert sheet["A2"].value == f"{injected} (CIF RO1)"
