"""The `report_export` job: build a report from the ledger, render it as XLSX or PDF, store the file.

Idempotent: the output lives in DATA_DIR/exports/<job id>/, written under a temporary name and
renamed into place, so a re-run after a crash either finds the finished file or writes it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from roa2web.companies import all_companies
from roa2web.exports import ExportFiles, export_filename, report_document
from roa2web.exports.pdf import write_pdf
from roa2web.exports.xlsx import write_xlsx
from roa2web.ledger.base import Ledger, LedgerError
from roa2web.reports import REPORTS, ReportParameterError
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from roa2web.tasks.handlers import JobContext, PermanentJobError, TransientJobError, job_handler
from roa2web.tasks.periodic import housekeeping

KIND = "report_export"
WRITERS = {"xlsx": write_xlsx, "pdf": write_pdf}


def export_files(settings: Settings) -> ExportFiles:
    """DATA_DIR/exports."""
    return ExportFiles(settings.data_path("exports"))


async def _company(ledger: Ledger, company_id: int) -> tuple[str, str]:
    for company in await all_companies(ledger):
        if company.id == company_id:
            return company.name, company.cif
    raise PermanentJobError(f"company {company_id} is not in the ledger")


@job_handler(KIND)
def export_report(ctx: JobContext) -> str | None:
    """Params: {"report": name, "format": "xlsx"|"pdf", "params": the report's parameters}."""
    report, fmt, raw = ctx.params.get("report"), ctx.params.get("format"), ctx.params.get("params") or {}
    spec = REPORTS.get(str(report))
    if spec is None:
        raise PermanentJobError(f"no report named {report!r}")
    writer = WRITERS.get(str(fmt))
    if writer is None:
        raise PermanentJobError(f"no export format {fmt!r} (use xlsx or pdf)")
    files = export_files(ctx.runtime.settings)
    done = files.finished(ctx.job.id)
    if done is not None:  # an earlier attempt wrote it, then the process died before recording it
        return f"{ctx.job.id}/{done.name}"

    ctx.progress(5, "Se citesc datele din contabilitate")
    ledger: Ledger = ctx.runtime.service("ledger")
    try:
        params = spec.validate(raw)
        result = ctx.run(spec.run(ledger, params))
        company, cif = ctx.run(_company(ledger, int(getattr(params, "company_id", 0))))
    except ReportParameterError as exc:
        raise PermanentJobError(str(exc)) from exc
    except LedgerError as exc:
        raise TransientJobError(f"the ledger did not answer: {exc}") from exc
    ctx.raise_if_cancelled()

    now = dt.datetime.now(dt.UTC)
    document = report_document(spec, result, company=company, company_cif=cif, generated_at=now)
    filename = export_filename(spec.title, company, params.model_dump(), str(fmt), today=now.astimezone().date())
    ctx.progress(40, f"Se scrie fișierul ({len(document.rows)} rânduri)")

    def progress(written: int, total: int) -> None:
        ctx.progress(40 + int(55 * written / max(total, 1)), f"Rânduri scrise: {written} din {total}")
        ctx.raise_if_cancelled()

    def render(path: Path) -> None:
        writer(document, path, progress)

    target = files.write(ctx.job.id, filename, render)
    return f"{ctx.job.id}/{target.name}"


@housekeeping("exports")
async def delete_expired_exports(runtime: Runtime) -> int:
    """Export files older than EXPORT_TTL_HOURS."""
    files = export_files(runtime.settings)
    return await asyncio.to_thread(files.delete_expired, runtime.settings.export_ttl_hours * 3600)


def export_request(report: str, fmt: str, params: dict[str, Any]) -> dict[str, Any]:
    """The job params of an export (what `export_report` reads)."""
    return {"report": report, "format": fmt, "params": params}
