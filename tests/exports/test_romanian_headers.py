"""Every report's export (XLSX sheet title, column headers and summary labels; PDF the same text) shows
Romanian labels, never the internal names of its fields or parameters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from roa2web.exports import report_document
from roa2web.exports.xlsx import write_xlsx
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import REPORTS
from tests.reports.test_report_registry import RAW_PARAMS
from tests.support.romanian import english_words


@pytest.mark.parametrize("name", sorted(REPORTS))
async def test_export_headers_and_sheet_titles_are_romanian_labels(demo_ledger_path: Path, tmp_path: Path, name: str):
    spec = REPORTS[name]
    ledger = EmbeddedLedger(demo_ledger_path)
    try:
        result = await spec.run(ledger, RAW_PARAMS[name])
    finally:
        await ledger.close()
    document = report_document(spec, result, company="ALFA COMERT SRL", company_cif="RO28461357",
                               generated_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))
    path = tmp_path / f"{name}.xlsx"
    write_xlsx(document, path)
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[len(document.facts) + 5]]
    facts = [row[0].value for row in sheet.iter_rows(min_row=4, max_row=3 + len(document.facts))]

    internal = {column.key for column in spec.columns} | set(spec.params.model_fields) | {name}
    texts = [sheet.title, *header, *facts]
    assert header == [column.label for column in spec.columns] and facts == [label for label, _ in document.facts]
    assert [text for text in texts if text in internal or "_" in text or "." in text.replace(" ", "")] == []
    assert [text for text in texts if english_words(text)] == []
