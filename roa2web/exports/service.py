"""Report exports, the domain service both doors call.

The HTTP door checks and submits an export; the queue's task door builds and writes it.

An export is checked against the report registry (`validate_export`), carried in a job as plain
params (`ReportExport.job_params`, read back by `export_from_job`), built from the ledger
(`prepare_export`: the report opened as a stream, its rows read from the ledger a batch at a time
while the writer writes them, totals summed on the way, never the whole report in memory), then
written under FILES_DIR/exports/<job id>/ by `ReportExportFiles`, written
under a temporary name and renamed into place: a re-run after a crash finds the finished file
(`finished`) or writes it once. Files older than EXPORT_TTL_HOURS are removed (`delete_expired`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import orjson
from pydantic import BaseModel

from roa2web.companies import all_companies
from roa2web.exports.chart import ChartUnavailable, revenue_chart_png
from roa2web.exports.csv_table import write_csv
from roa2web.exports.document import ExportDocument, Runner, loop_runner, stream_document
from roa2web.exports.files import ExportFiles
from roa2web.exports.naming import export_filename, period_label
from roa2web.exports.pdf import write_pdf
from roa2web.exports.xlsx import write_xlsx
from roa2web.ledger.base import Ledger
from roa2web.problems import BadRequest, NotFound, Problem
from roa2web.reports import REPORTS, ReportSpec
from roa2web.reports.money import dumps
from roa2web.scratch import scratch_dir
from roa2web.settings import Settings

REPORT_EXPORT_JOB = "report_export"
Format = Literal["xlsx", "csv", "pdf"]
WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "pdf": write_pdf}
Progress = Callable[[int, int], None]
# fpdf2 keeps every laid-out page (about 3 kB a row) until it writes the file: a PDF of more rows
# would hold too much memory (and is no longer read on paper); XLSX and CSV stream any size.
PDF_MAX_ROWS = 20_000


class ExportError(Problem):
    """An export that cannot be made as asked (another attempt would not help)."""


class UnknownReport(ExportError, BadRequest):
    """No report has this name."""

    kind = "unknown-report"


class UnknownFormat(ExportError, BadRequest):
    """No writer for this format."""

    kind = "unknown-format"


class TooManyRowsForPdf(ExportError, BadRequest):
    """A PDF of more rows than PDF_MAX_ROWS: fpdf2 holds every page until the file is written."""

    kind = "too-many-rows-for-pdf"


class CompanyNotFound(ExportError, NotFound):
    """The export's company is not in the ledger."""

    kind = "company-not-found"


@dataclass(frozen=True)
class ReportExport:
    """An export checked against the registry: the report, its validated parameters, the format."""

    spec: ReportSpec
    params: BaseModel
    format: Format

    @property
    def company_id(self) -> int:
        """The company the export is about (every report takes one)."""
        return int(getattr(self.params, "company_id", 0))

    def job_params(self) -> dict[str, Any]:
        """What the export job carries (`export_from_job` reads it back)."""
        return {"report": self.spec.name, "format": self.format, "params": self.params.model_dump(mode="json")}


@dataclass(frozen=True)
class PreparedExport:
    """An export opened on the ledger, ready to be written (its rows are read while it is written, once)."""

    document: ExportDocument
    filename: str


def validate_export(report: str, fmt: str, params: Mapping[str, Any]) -> ReportExport:
    """The export of `report` with `params` as `fmt`.

    Raises UnknownReport, UnknownFormat, or the report's own ReportParameterError (with the field
    at fault) when it cannot be made.
    """
    spec = REPORTS.get(report)
    if spec is None:
        known = ", ".join(f"{name} ({spec.title})" for name, spec in REPORTS.items())
        raise UnknownReport(f"Nu există raportul {report!r}; se pot exporta: {known}.")
    if fmt not in WRITERS:
        raise UnknownFormat(f"Nu există formatul de export {fmt!r}; formatele sunt: {', '.join(WRITERS)}.")
    return ReportExport(spec, spec.validate(dict(params)), cast(Format, fmt))


def export_title(job_params: Mapping[str, Any]) -> str:
    """How people read which export a job makes: 'Balanța de verificare, martie 2025 (XLSX)'.

    The report's own title and the period its exports' headers print; 'Export raport' for a report
    this app no longer knows.
    """
    spec = REPORTS.get(str(job_params.get("report")))
    params = job_params.get("params")
    period = period_label(params) if isinstance(params, Mapping) else ""
    fmt = str(job_params.get("format") or "").upper()
    words = ", ".join(part for part in (spec.title if spec else "Export raport", period) if part)
    return f"{words} ({fmt})" if fmt else words


def export_from_job(job_params: Mapping[str, Any]) -> ReportExport:
    """The export an export job carries (see `ReportExport.job_params`)."""
    return validate_export(str(job_params.get("report")), str(job_params.get("format")),
                           job_params.get("params") or {})


async def company_identity(ledger: Ledger, company_id: int) -> tuple[str, str]:
    """(name, CIF) of the company, as the ledger knows it."""
    for company in await all_companies(ledger):
        if company.id == company_id:
            return company.name, company.cif
    raise CompanyNotFound(f"Firma {company_id} nu există în contabilitate.")


async def report_picture(ledger: Ledger, export: ReportExport, *, title: str) -> bytes | None:
    """The dashboard's twelve-month chart for its PDF, the picture the bot sends; None for other exports.

    None too where matplotlib is missing (a base install): the PDF is then the table and facts alone.
    """
    if export.format != "pdf" or export.spec.name != "dashboard":
        return None
    dashboard = orjson.loads(dumps(await export.spec.builder(ledger, **export.params.model_dump())))
    try:
        return await asyncio.to_thread(revenue_chart_png, dashboard, title=title)
    except ChartUnavailable:
        return None


async def prepare_export(
    ledger: Ledger, export: ReportExport, *, now: dt.datetime, run: Runner | None = None
) -> PreparedExport:
    """Open the report on the ledger as a document with its Romanian file name.

    The document's rows are read from the ledger a batch at a time while it is written, from a
    thread other than this event loop's: each batch through `run` (the job's `ctx.run`), by default
    on the loop this was called on.
    """
    company, cif = await company_identity(ledger, export.company_id)
    stream = await export.spec.open_stream(ledger, export.params)
    if export.format == "pdf" and (stream.expected_rows or 0) > PDF_MAX_ROWS:
        raise TooManyRowsForPdf(
            f"Raportul are {stream.expected_rows:,} de rânduri; un PDF se face pentru cel mult "
            f"{PDF_MAX_ROWS:,} de rânduri. Alegeți XLSX sau CSV, ori o perioadă mai scurtă.".replace(",", "."))
    document = stream_document(export.spec, stream, run or loop_runner(asyncio.get_running_loop()),
                               company=company, company_cif=cif, generated_at=now)
    picture = await report_picture(ledger, export, title=f"{company} · {document.period}")
    if picture is not None:
        document = dataclasses.replace(document, picture=picture)
    filename = export_filename(export.spec.title, company, export.params.model_dump(), export.format,
                               today=now.astimezone().date())
    return PreparedExport(document, filename)


class ReportExportFiles:
    """The report exports under one directory: written once per job, found again, expired."""

    def __init__(self, root: Path, *, ttl_hours: float, scratch: Path | None = None) -> None:
        self.files = ExportFiles(root)
        self.ttl_hours = ttl_hours
        self.scratch = scratch

    @classmethod
    def from_settings(cls, settings: Settings) -> ReportExportFiles:
        """FILES_DIR/exports (shared by every instance), kept EXPORT_TTL_HOURS; XLSX scratch in DATA_DIR/tmp."""
        return cls(settings.files_path("exports"), ttl_hours=settings.export_ttl_hours,
                   scratch=scratch_dir(settings.data_dir))

    def finished(self, job_id: str) -> str | None:
        """The result_ref of the file an earlier attempt of `job_id` finished, if any."""
        done = self.files.finished(job_id)
        return None if done is None else f"{job_id}/{done.name}"

    def write(self, job_id: str, export: ReportExport, prepared: PreparedExport, progress: Progress) -> str:
        """Render the file, reading the document's rows as it goes (progress: rows written, rows expected).

        Call it from a worker thread, not the event loop the export was prepared on; returns its result_ref.
        """
        writer = WRITERS[export.format]

        def render(path: Path) -> None:
            if writer is write_xlsx:
                write_xlsx(prepared.document, path, progress, scratch=self.scratch)
            else:
                writer(prepared.document, path, progress)

        target = self.files.write(job_id, prepared.filename, render)
        return f"{job_id}/{target.name}"

    def resolve(self, result_ref: str) -> Path | None:
        """The file a finished export job names, unless it expired."""
        return self.files.resolve(result_ref)

    def delete_expired(self) -> int:
        """Remove exports older than EXPORT_TTL_HOURS; returns how many."""
        return self.files.delete_expired(self.ttl_hours * 3600)
