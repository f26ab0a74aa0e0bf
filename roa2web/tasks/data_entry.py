"""The data-entry job handlers (doors): OCR of a receipt photo, and the export of approved receipts.

Both run in a queue worker thread and only orchestrate: database and OCR work go to the event loop
through `ctx.run`, file writing stays in the thread. Both are idempotent (see OcrFlow, and
roa2web.data_entry.export.service: an export marks its receipts only after their files are written).
An OCR service closed under a job (the process is shutting down) interrupts it: the job goes back
to the queue, that attempt not counted. The job's state is the job engine's to record.
"""

from __future__ import annotations

import logging
from typing import Any

from roa2web.data_entry.errors import DataEntryError, ExportReleased, NotFound, OcrUnavailable, UploadRejected
from roa2web.data_entry.export.service import EXPORT_JOB, ExportBatch, ReceiptExports
from roa2web.data_entry.module import DataEntry
from roa2web.data_entry.ocr.errors import ImageRejected, ReaderUnavailable
from roa2web.data_entry.ocr.flow import OCR_JOB, OcrFlow
from roa2web.data_entry.workflow.entries import EntriesUnavailable
from roa2web.jobs.handlers import (
    JobContext,
    JobInterrupted,
    PermanentJobError,
    TransientJobError,
    job_handler,
)
from roa2web.ledger.base import LedgerError
from roa2web.validation_messages import count_of

log = logging.getLogger("roa2web.data_entry")
_PERMANENT = (ImageRejected, UploadRejected, OcrUnavailable, ReaderUnavailable, NotFound)


def _data_entry(ctx: JobContext) -> DataEntry:
    service: DataEntry = ctx.runtime.data_entry
    return service


def _service_closed(flow: OcrFlow, error: Exception) -> bool:
    """The OCR service refused the work because it was closed (shutdown), not because it cannot work."""
    if not isinstance(error, ReaderUnavailable):
        return False
    status: Any = getattr(flow.reader, "status", None)
    return callable(status) and status().get("state") == "closed"


@job_handler(OCR_JOB)  # QUEUE_MAX_ATTEMPTS
def run_ocr(ctx: JobContext) -> str | None:
    """Read the receipt's photo and fill its DRAFT; the result is the receipt id.

    The job engine records every failure: a permanent one fails the job, any other is retried
    until the job's last attempt.
    """
    flow = _data_entry(ctx).ocr
    run_id = str(ctx.params["run_id"])
    receipt_id = str(ctx.params["receipt_id"])
    ctx.progress(5, "Se pregătește imaginea")
    try:
        data = ctx.run(flow.begin(run_id))
        if data is None:
            return receipt_id  # read before (or the receipt is gone): nothing to do again
        ctx.progress(20, "Se citește bonul")
        reading = ctx.run(flow.read(data))
        ctx.progress(85, "Se completează bonul")
        ctx.run(flow.complete(run_id, reading))
    except _PERMANENT as error:
        if _service_closed(flow, error):  # a shutdown closed the engine under the job
            raise JobInterrupted(str(error)) from error
        raise PermanentJobError(str(error)) from error
    except Exception as error:
        log.warning("OCR run %s failed: %s: %s", run_id, type(error).__name__, error)
        raise TransientJobError("Citirea bonului a eșuat din cauza unei erori neprevăzute; detaliile sunt în "
                                "jurnalul serverului.") from error
    ctx.progress(100, "Gata")
    return receipt_id


@job_handler(EXPORT_JOB)  # as many attempts as QUEUE_MAX_ATTEMPTS
def export_receipts(ctx: JobContext) -> str | None:
    """Compute the period's rows, write them as XLSX and CSV, then mark those receipts EXPORTED.

    The same job rebuilds an export's files (ReceiptExports.rebuild): it then holds its receipts already.
    """
    exports = _data_entry(ctx).exports
    job_id = ctx.job.id
    ctx.progress(10, "Se calculează notele contabile")
    try:
        batch = ctx.run(exports.plan(job_id, ctx.params))
    except (DataEntryError, EntriesUnavailable) as error:
        raise PermanentJobError(str(error)) from error
    except LedgerError as error:
        log.warning("receipts export %s: the ledger did not answer: %s", job_id, error)
        raise TransientJobError("Contabilitatea (ROA) nu a răspuns.") from error
    ctx.progress(40, f"Se scriu {count_of(len(batch.rows), 'rând')}")
    result = _write(ctx, exports, batch)
    if not batch.claimed:
        ctx.progress(80, "Se marchează bonurile exportate")
        try:
            held = ctx.run(exports.claim(job_id, ctx.params, batch))
        except ExportReleased as error:
            raise PermanentJobError(str(error)) from error
        if held is not None:  # another export took some of these receipts meanwhile
            result = _write(ctx, exports, held)
    ctx.progress(100, "Gata")
    return result


def _write(ctx: JobContext, exports: ReceiptExports, batch: ExportBatch) -> str:
    """Write the files; a full disk or a locked file is worth another attempt (nothing is marked yet).

    Stamped with the job's start, so a rebuild writes the bytes the first run wrote.
    """
    job_id = ctx.job.id
    try:
        return exports.write(job_id, batch.company_id, batch.rows, made_at=ctx.job.created_at)
    except OSError as error:
        log.warning("receipts export %s: the files could not be written: %s", job_id, error)
        raise TransientJobError("Fișierele exportului nu au putut fi scrise pe server.") from error
