"""The `report_export` job's door, and the housekeeping step that expires export files.

The handler loads the export from the job, lets the exports service (roa2web.exports.service)
build and write it, and records progress.

Idempotent: a re-run after a crash finds the file an earlier attempt finished, or writes it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from roa2web.exports.service import (
    REPORT_EXPORT_JOB,
    ExportError,
    ReportExportFiles,
    export_from_job,
    prepare_export,
)
from roa2web.jobs.handlers import JobContext, PermanentJobError, TransientJobError, job_handler
from roa2web.jobs.housekeeping import housekeeping
from roa2web.ledger.base import Ledger, LedgerError
from roa2web.reports import ReportParameterError
from roa2web.runtime import Runtime
from roa2web.validation_messages import count_of

log = logging.getLogger("roa2web.exports")


@job_handler(REPORT_EXPORT_JOB)
def export_report(ctx: JobContext) -> str | None:
    """Params: {"report": name, "format": "xlsx"|"csv"|"pdf", "params": the report's parameters}.

    The report's rows are read from the ledger (on the event loop, through `ctx.run`) a batch at a
    time while this thread writes them; progress counts the rows written.
    """
    files = ReportExportFiles.from_settings(ctx.runtime.settings)
    try:
        export = export_from_job(ctx.params)
    except (ExportError, ReportParameterError) as exc:
        raise PermanentJobError(str(exc)) from exc
    done = files.finished(ctx.job.id)
    if done is not None:  # an earlier attempt wrote it, then the process died before recording it
        return done

    ctx.progress(5, "Se citesc datele din contabilitate")
    ledger: Ledger = ctx.runtime.ledger
    try:
        prepared = ctx.run(prepare_export(ledger, export, now=dt.datetime.now(dt.UTC), run=ctx.run))
    except ExportError as exc:
        raise PermanentJobError(str(exc)) from exc
    except LedgerError as exc:  # its message may name files or SQL: the log keeps it, the job says what happened
        log.warning("report export %s: the ledger did not answer: %s", ctx.job.id, exc)
        raise TransientJobError("Contabilitatea (ROA) nu a răspuns.") from exc
    ctx.raise_if_cancelled()
    expected = prepared.document.rows_expected()
    ctx.progress(10, "Se scrie fișierul" if expected is None else f"Se scrie fișierul ({count_of(expected, 'rând')})")

    def progress(written: int, total: int) -> None:
        ctx.progress(10 + int(85 * written / max(total, 1)), f"Rânduri scrise: {written} din {total}")
        ctx.raise_if_cancelled()

    try:
        return files.write(ctx.job.id, export, prepared, progress)
    except LedgerError as exc:  # a batch read while writing
        log.warning("report export %s: the ledger failed while the file was written: %s", ctx.job.id, exc)
        raise TransientJobError("Contabilitatea (ROA) nu a răspuns.") from exc


@housekeeping("exports")
async def delete_expired_exports(runtime: Runtime) -> int:
    """Export files older than EXPORT_TTL_HOURS."""
    return await asyncio.to_thread(ReportExportFiles.from_settings(runtime.settings).delete_expired)
