"""XLSX exports open in openpyxl with the report's rows and totals, styled and frozen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl

from roa2web.exports.document import ExportColumn, ExportDocument
from roa2web.exports.xlsx import DATE_FORMAT, MONEY_FORMAT, write_xlsx


def _number(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def test_trial_balance_rows_and_totals(document, trial_balance, tmp_path):
    spec, result = trial_balance
    path = tmp_path / "tb.xlsx"
    calls = []
    write_xlsx(document, path, lambda done, total: calls.append((done, total)))
    sheet = openpyxl.load_workbook(path).active

    assert sheet.title == "Balanța de verificare"
    assert sheet["A1"].value == "Balanța de verificare" and sheet["A1"].font.bold
    assert sheet["A2"].value == "ALFA COMERT SRL (CIF RO28461357) · Perioada: ianuarie 2025 – martie 2025"
    assert sheet["A3"].value.startswith("Generat la 03.04.2025")
    header_row = len(document.facts) + 5
    header = [cell.value for cell in sheet[header_row]]
    assert header == [column.label for column in spec.columns]
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("DDE4EE") for cell in sheet[header_row])
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert 16 <= sheet.column_dimensions["D"].width < 17 and sheet.column_dimensions["B"].width > 20

    items = list(spec.rows(result))
    body = list(sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(items)))
    assert len(body) == len(items)
    money = [index for index, column in enumerate(spec.columns) if column.kind == "money"]
    for cells, item in zip(body, items, strict=True):
        expected = spec.cells(item)
        assert [cell.value for index, cell in enumerate(cells) if index not in money] == [
            value for index, value in enumerate(expected) if index not in money]
        assert [_number(cells[index].value) for index in money] == [expected[index] for index in money]
        assert all(cells[index].number_format == MONEY_FORMAT for index in money)

    totals_row = sheet[header_row + len(items) + 1]
    expected_totals = spec.cells(spec.totals(result))
    assert totals_row[0].value == "TOTAL" and all(cell.font.bold for cell in totals_row)
    assert [_number(totals_row[index].value) for index in money] == [expected_totals[index] for index in money]
    assert _number(totals_row[money[0]].value) == result.totals.opening_debit
    assert sheet.max_row == header_row + len(items) + 1
    assert calls[-1] == (len(items), len(items))


def test_dates_ints_and_progress_on_many_rows(tmp_path):
    rows = [[index, f"Încasare {index}", dt.date(2025, 1, 1) + dt.timedelta(days=index % 300),
             Decimal(index) / 100] for index in range(1, 5001)]
    document = ExportDocument(
        title="Registru de casă", company="BETA SERVICE SRL", company_cif="RO39172621", period="",
        generated_at=dt.datetime(2025, 4, 3, tzinfo=dt.UTC), facts=[],
        columns=[ExportColumn("Nr.", "int"), ExportColumn("Explicație", "text"), ExportColumn("Data", "date"),
                 ExportColumn("Suma", "money")],
        rows=rows, totals=[None, None, None, sum(row[3] for row in rows)],
    )
    calls = []
    write_xlsx(document, tmp_path / "many.xlsx", lambda done, total: calls.append(done))
    sheet = openpyxl.load_workbook(tmp_path / "many.xlsx").active
    first = sheet[6]
    assert first[0].value == 1 and first[2].value == dt.datetime(2025, 1, 2) and first[2].number_format == DATE_FORMAT
    assert sheet.max_row == 5 + 5000 + 1
    assert _number(sheet.cell(sheet.max_row, 4).value) == Decimal("125025.00")
    assert calls == [2000, 4000, 5000]
