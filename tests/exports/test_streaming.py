"""Exports stream: the ledger's cursor is read a batch at a time as the writer asks, totals are summed on
the way, progress follows the rows written; the files hold every row, Romanian headers and right totals."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
import pytest

from roa2web.exports.csv_table import write_csv
from roa2web.exports.document import ExportDocument, loop_runner, stream_document
from roa2web.exports.numbers import format_money
from roa2web.exports.pdf import write_pdf
from roa2web.exports.xlsx import write_xlsx
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import REPORTS
from roa2web.reports.invoices import invoices_stream
from roa2web.reports.journal import journal_stream

YEAR = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 12}
BATCH = 100
NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def ledger(demo_ledger_path: Path):
    ledger = EmbeddedLedger(demo_ledger_path)
    yield ledger
    await ledger.close()


def ledger_sums(path: Path, month_to: int = 12) -> tuple[int, Decimal]:
    """Lines and their amount for company 1, 2025, months 1..month_to, asked of the file directly."""
    with sqlite3.connect(path) as conn:
        count, bani = conn.execute(
            "SELECT COUNT(*), SUM(amount_bani) FROM r2w_journal_lines WHERE company_id = 1 AND period_year = 2025 "
            "AND period_month <= ?", (month_to,)).fetchone()
    return count, Decimal(bani).scaleb(-2)


async def journal_document(ledger: EmbeddedLedger, month_to: int = 12) -> ExportDocument:
    stream = await journal_stream(ledger, **{**YEAR, "month_to": month_to}, batch_rows=BATCH)
    return stream_document(REPORTS["journal"], stream, loop_runner(asyncio.get_running_loop()),
                           company="ALFA COMERT SRL", company_cif="RO28461357", generated_at=NOW)


async def test_the_ledger_cursor_is_read_in_batches(ledger, demo_ledger_path):
    count, _ = ledger_sums(demo_ledger_path)
    queries = ledger.queries
    binds = {"company_id": 1, "fiscal_year": 2025, "month_from": 1, "month_to": 12}
    sizes = [len(batch) async for batch in ledger.stream("reports.journal", batch_rows=BATCH, **binds)]
    assert sum(sizes) == count > 10 * BATCH
    assert all(size == BATCH for size in sizes[:-1]) and 0 < sizes[-1] <= BATCH
    assert ledger.queries == queries + 1 and ledger.stream_batches == len(sizes)


async def test_the_writer_is_fed_before_the_ledger_is_read_to_the_end(ledger, demo_ledger_path):
    count, _ = ledger_sums(demo_ledger_path)
    all_batches = -(-count // BATCH)
    document = await journal_document(ledger)
    assert ledger.stream_batches == 0  # opening the export counted the rows, read none

    first = await asyncio.to_thread(next, iter(document.rows))
    assert first[0] == 1 and ledger.stream_batches == 1

    document = await journal_document(ledger)
    read_when: list[tuple[int, int]] = []
    start = ledger.stream_batches
    await asyncio.to_thread(write_xlsx, document, Path(ledger.path).parent / "lazy.xlsx",
                            lambda done, total: read_when.append((done, ledger.stream_batches - start)))
    written, batches_read = read_when[0]
    assert written == 2000 and batches_read <= written // BATCH + 1 < all_batches
    assert read_when[-1] == (count, all_batches)


async def test_leaving_early_closes_the_cursor(ledger):
    document = await journal_document(ledger)
    rows = iter(document.rows)
    await asyncio.to_thread(next, rows)
    await asyncio.to_thread(rows.close)  # type: ignore[attr-defined]
    assert ledger.stream_batches == 1 and ledger.breaker.state == "closed"
    with pytest.raises(RuntimeError, match="the totals of a report stream are read before its last row"):
        document.totals_row()


async def test_journal_xlsx_every_row_romanian_headers_totals_and_progress(ledger, demo_ledger_path, tmp_path):
    count, amount = ledger_sums(demo_ledger_path)
    document = await journal_document(ledger)
    assert document.rows_expected() == count and ("Număr înregistrări", count) in document.facts
    path = tmp_path / "jurnal.xlsx"
    progress: list[tuple[int, int]] = []
    await asyncio.to_thread(write_xlsx, document, path, lambda done, total: progress.append((done, total)))

    assert [done for done, _ in progress] == sorted({done for done, _ in progress})  # increasing
    assert progress[-1] == (count, count) and all(total == count for _, total in progress)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = len(document.facts) + 4
    assert list(rows[header_at]) == [column.label for column in REPORTS["journal"].columns]
    assert rows[header_at][:3] == ("Număr curent", "Număr înregistrare", "Data documentului")
    body, totals = rows[header_at + 1:-1], rows[-1]
    assert len(body) == count and [row[0] for row in body[:3]] == [1, 2, 3] and body[-1][0] == count
    debit = sum((Decimal(str(row[9])).quantize(Decimal("0.01")) for row in body), Decimal(0))
    credit = sum((Decimal(str(row[10])).quantize(Decimal("0.01")) for row in body), Decimal(0))
    assert totals[0] == "TOTAL" and debit == credit == amount
    assert Decimal(str(totals[9])).quantize(Decimal("0.01")) == amount == Decimal(str(totals[10])).quantize(
        Decimal("0.01"))
    assert isinstance(body[0][2], dt.datetime) and body[0][4] in {"Factură emisă", "Factură primită", "Bon fiscal",
                                                                  "Decont de avans", "Încasare", "Plată",
                                                                  "Extras bancar", "Transfer de numerar",
                                                                  "Reevaluare valutară", "Stat de salarii",
                                                                  "Plată taxe și impozite", "Închidere de lună"}


async def test_journal_csv_opens_in_romanian_excel(ledger, demo_ledger_path, tmp_path):
    count, amount = ledger_sums(demo_ledger_path, month_to=6)
    document = await journal_document(ledger, month_to=6)
    path = tmp_path / "jurnal.csv"
    progress: list[int] = []
    await asyncio.to_thread(write_csv, document, path, lambda done, total: progress.append(done))

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM: Excel reads ș ț as such
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body, totals = rows[0], rows[1:-1], rows[-1]
    assert header == [column.label for column in REPORTS["journal"].columns]
    assert len(body) == count and progress == sorted(progress) and progress[-1] == count
    assert all(len(row[2]) == 10 and row[2][2] == row[2][5] == "." for row in body)  # 31.03.2025
    debits = [row[9] for row in body]
    assert all("," in value and "." not in value and len(value.split(",")[1]) == 2 for value in debits)
    total = sum((Decimal(value.replace(",", ".")) for value in debits), Decimal(0))
    assert totals[0] == "TOTAL" and Decimal(totals[9].replace(",", ".")) == total == amount
    assert totals[10] == totals[9]


async def test_journal_pdf_page_by_page_with_totals(ledger, demo_ledger_path, tmp_path):
    count, amount = ledger_sums(demo_ledger_path, month_to=1)
    document = await journal_document(ledger, month_to=1)
    path = tmp_path / "jurnal.pdf"
    progress: list[tuple[int, int]] = []
    await asyncio.to_thread(write_pdf, document, path, lambda done, total: progress.append((done, total)))

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        pages = [pdf[index].get_textpage().get_text_range() for index in range(len(pdf))]
    finally:
        pdf.close()
    assert len(pages) >= 2 and all("Registrul-jurnal" in page and "debitoare" in page for page in pages)
    assert "TOTAL" in pages[-1] and format_money(amount) in pages[-1]
    assert f"Numărînregistrări:{count:,}".replace(",", ".") in pages[-1].replace(" ", "").replace("\r\n", "")
    assert progress[-1] == (count, count)


async def test_invoices_stream_totals_match_the_ledger_totals(ledger):
    params = {"company_id": 1, "kind": "sales", "status": "all", "as_of": dt.date(2025, 12, 31)}
    stream = await invoices_stream(ledger, **params, batch_rows=BATCH)
    items = [item async for batch in stream.batches for item in batch]
    totals = stream.totals()
    built = await REPORTS["invoices"].run(ledger, params)
    assert len(items) == totals.count == stream.expected_rows == built.totals.count
    assert (totals.total, totals.paid, totals.balance) == (built.totals.total, built.totals.paid,
                                                           built.totals.balance)
    assert [item.invoice_id for item in items] == [item.invoice_id for item in built.items]


async def test_a_pdf_of_more_rows_than_it_can_hold_is_refused_before_a_row_is_read(ledger, monkeypatch):
    from roa2web.exports import service

    monkeypatch.setattr(service, "PDF_MAX_ROWS", 1000)
    with pytest.raises(service.TooManyRowsForPdf, match=r"cel mult 1\.000 de rânduri\. Alegeți XLSX sau CSV"):
        await service.prepare_export(ledger, service.validate_export("journal", "pdf", YEAR), now=NOW)
    assert ledger.stream_batches == 0
    prepared = await service.prepare_export(ledger, service.validate_export("journal", "csv", YEAR), now=NOW)
    assert prepared.document.rows_expected() > 1000


async def test_a_stream_of_a_missing_ledger_fails_like_any_ledger_call(tmp_path):
    from roa2web.ledger.base import LedgerUnavailable

    ledger = EmbeddedLedger(tmp_path / "missing.sqlite")
    try:
        binds = {"company_id": 1, "fiscal_year": 2025, "month_from": 1, "month_to": 12}
        with pytest.raises(LedgerUnavailable, match="does not exist"):
            [batch async for batch in ledger.stream("reports.journal", **binds)]
        assert ledger.breaker.state == "open" and ledger.stream_batches == 0
    finally:
        await ledger.close()


@pytest.mark.parametrize(("fmt", "writer"), [("xlsx", write_xlsx), ("csv", write_csv), ("pdf", write_pdf)])
async def test_an_empty_period_gives_a_file_with_headers_and_zero_totals(ledger, tmp_path, fmt, writer):
    stream = await journal_stream(ledger, company_id=1, year=2031, month_from=1, month_to=12)
    document = stream_document(REPORTS["journal"], stream, loop_runner(asyncio.get_running_loop()),
                               company="ALFA COMERT SRL", company_cif="RO28461357", generated_at=NOW)
    progress: list[tuple[int, int]] = []
    await asyncio.to_thread(writer, document, tmp_path / f"gol.{fmt}",
                            lambda done, total: progress.append((done, total)))
    assert progress == [(0, 0)] and document.totals_row()[9] == Decimal("0.00")
    if fmt == "csv":
        rows = list(csv.reader((tmp_path / "gol.csv").read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
        assert rows[0][0] == "Număr curent" and rows[1][0] == "TOTAL" and rows[1][9] == "0,00" and len(rows) == 2
