"""The report exports service, called as the doors call it: checked, carried as job params, built
from the demo ledger, written once per job, found again, expired."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time

import openpyxl
import pytest

from roa2web.exports.service import (
    CompanyNotFound,
    ReportExportFiles,
    UnknownFormat,
    UnknownReport,
    export_from_job,
    prepare_export,
    validate_export,
)
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import ReportParameterError

TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}
JOB = "b" * 32
NOW = dt.datetime(2025, 4, 3, 12, 30, tzinfo=dt.UTC)


@pytest.fixture
async def ledger(demo_ledger_path):
    ledger = EmbeddedLedger(demo_ledger_path)
    yield ledger
    await ledger.close()


def test_an_export_is_checked_against_the_registry():
    with pytest.raises(UnknownReport, match="trial_balance"):
        validate_export("nope", "xlsx", TB)
    with pytest.raises(UnknownFormat):
        validate_export("trial_balance", "ods", TB)
    with pytest.raises(ReportParameterError) as error:
        validate_export("trial_balance", "xlsx", {**TB, "month_to": 13})
    assert error.value.field == "month_to"


def test_the_job_carries_the_export_and_gives_it_back():
    export = validate_export("trial_balance", "pdf", {**TB, "company_id": "1"})
    assert export.company_id == 1 and export.format == "pdf"
    carried = export.job_params()
    assert carried["report"] == "trial_balance" and carried["format"] == "pdf" and carried["params"]["year"] == 2025
    assert export_from_job(carried) == export


async def test_prepare_then_write_once_then_expire(ledger, tmp_path):
    files = ReportExportFiles(tmp_path / "exports", ttl_hours=1)
    export = validate_export("trial_balance", "xlsx", TB)
    prepared = await prepare_export(ledger, export, now=NOW)
    assert prepared.filename == "balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx"
    expected = prepared.document.rows_expected()
    assert prepared.document.company == "ALFA COMERT SRL" and expected

    assert files.finished(JOB) is None
    seen: list[tuple[int, int]] = []
    ref = await asyncio.to_thread(files.write, JOB, export, prepared,
                                  lambda written, total: seen.append((written, total)))
    assert ref == f"{JOB}/{prepared.filename}" and files.finished(JOB) == ref
    assert seen and seen[-1][0] == seen[-1][1] == expected
    path = files.resolve(ref)
    assert path is not None
    assert list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))[-1][0] == "TOTAL"

    assert files.delete_expired() == 0
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))
    assert files.delete_expired() == 1 and files.resolve(ref) is None and files.finished(JOB) is None


async def test_a_company_the_ledger_does_not_know(ledger):
    with pytest.raises(CompanyNotFound, match="999"):
        await prepare_export(ledger, validate_export("trial_balance", "xlsx", {**TB, "company_id": 999}), now=NOW)


async def test_an_xlsx_export_writes_only_under_data_and_files_dirs(ledger, settings_factory, tmp_path):
    """XlsxWriter's scratch goes to DATA_DIR/tmp, not the system's temporary folder."""
    from tests.security.attack_support import outside, written_files

    settings = settings_factory(data_dir=tmp_path / "data", files_dir=tmp_path / "files")
    files = ReportExportFiles.from_settings(settings)
    export = validate_export("trial_balance", "xlsx", TB)
    prepared = await prepare_export(ledger, export, now=NOW)
    with written_files() as written:
        await asyncio.to_thread(files.write, JOB, export, prepared, lambda written, total: None)
    assert written and outside(outside(written, tmp_path / "data"), tmp_path / "files") == []
    assert any(path.is_relative_to((tmp_path / "data" / "tmp").resolve()) for path in written)


async def test_the_dashboard_pdf_carries_the_chart_the_bot_sends(ledger, tmp_path):
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    files = ReportExportFiles(tmp_path / "exports", ttl_hours=1)
    export = validate_export("dashboard", "pdf", {"company_id": 1, "year": 2025, "month": 3})
    prepared = await prepare_export(ledger, export, now=NOW)
    assert prepared.document.picture is not None and prepared.document.picture.startswith(b"\x89PNG")
    ref = await asyncio.to_thread(files.write, JOB, export, prepared, lambda written, total: None)
    path = files.resolve(ref)
    assert path is not None
    pdf = pypdfium2.PdfDocument(path)
    images = [obj for page in pdf for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    xlsx = await prepare_export(ledger, validate_export("dashboard", "xlsx", {"company_id": 1, "year": 2025,
                                                                              "month": 3}), now=NOW)
    assert xlsx.document.picture is None  # only a PDF shows it
