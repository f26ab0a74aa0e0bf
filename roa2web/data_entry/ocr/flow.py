"""OCR of receipt photos as queued jobs: start a run (HTTP, bot), report it, and the job's own steps.

A run's state, attempts, error and times are its job's (the `jobs` table, the one truth); the run
(`receipt_ocr_runs`) keeps what OCR read. The job may run again after a crash: `begin` refuses a
run that has its reading, and `complete` fills the draft and saves the reading in one transaction,
so a second pass never fills or records twice. A failed attempt is the job engine's to record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from roa2web.appdb import AppDatabase
from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import Conflict, NotFound, OcrUnavailable
from roa2web.data_entry.jobs import JobQueue
from roa2web.data_entry.model import Attachment, OcrRun, Receipt, State
from roa2web.data_entry.ocr.fill import ReadingFiller
from roa2web.data_entry.ocr.reading import ReceiptReading
from roa2web.data_entry.store import attachment_store, ocr_store, receipt_store
from roa2web.data_entry.workflow.files import ReceiptFiles
from roa2web.data_entry.workflow.rules import ensure_can_edit, ensure_state
from roa2web.data_entry.workflow.service import ReceiptService
from roa2web.jobs.store import Job

OCR_JOB = "ocr"
OCR_TITLE = "Citire bon (OCR)"  # how people read an OCR job
_FILL_RETRIES = 5
log = logging.getLogger("roa2web.data_entry")


class OcrReader(Protocol):
    """What the flow needs from the OCR service."""

    async def read(self, data: bytes) -> ReceiptReading:
        """Read one receipt image or PDF."""
        ...

    def status(self) -> dict[str, Any]:
        """The engine's state ("idle", "loading", "ready", "error", "closed") and its error text."""
        ...


@dataclass(frozen=True, slots=True)
class OcrStatus:
    """An OCR job as the user sees it.

    The job (state, progress, attempts, error, times), what its run read, and the receipt it fills.
    """

    job: Job
    run: OcrRun
    receipt: Receipt


@dataclass(frozen=True, slots=True)
class LatestOcr:
    """A receipt's newest run and its job (None once housekeeping purged the job's record)."""

    run: OcrRun
    job: Job | None


class OcrFlow:
    """OCR runs of receipts.

    `enabled` is OCR_ENABLED (default: whether there is a reader). `reader` is this process's OCR
    engine, present only where OCR jobs run (a queue consumer); a web process without one still
    starts runs, which a `roa2web worker` reads. Fields read with a confidence below `min_confidence`
    (OCR_MIN_CONFIDENCE) are not filled.
    """

    def __init__(
        self, receipts: ReceiptService, files: ReceiptFiles, *, reader: OcrReader | None,
        jobs: Callable[[], JobQueue], enabled: bool | None = None, min_confidence: float = 0.0,
    ) -> None:
        self.receipts = receipts
        self.files = files
        self.reader = reader
        self.enabled = reader is not None if enabled is None else enabled
        self.jobs = jobs
        self.filler = ReadingFiller(receipts, min_confidence)

    @property
    def db(self) -> AppDatabase:
        """The data-entry database."""
        return self.receipts.db

    def ensure_enabled(self) -> None:
        """OcrUnavailable when OCR is switched off (OCR_ENABLED=false)."""
        if not self.enabled:
            raise OcrUnavailable("Citirea bonurilor din fotografii (OCR) este oprită pe acest server.")

    def ensure_accepting(self) -> None:
        """Raise OcrUnavailable unless new OCR work is accepted.

        OCR must be on, and this process's engine (if it runs one) installed and loaded without error:
        a job queued for a missing or broken engine would only fail.
        """
        self.ensure_enabled()
        status = self.reader.status() if self.reader is not None else {}
        if status.get("state") == "unavailable":
            raise OcrUnavailable(
                "Citirea bonurilor din fotografii (OCR) nu este instalată pe acest server; administratorul vede "
                "cauza în /health și în `roa2web check`.", kind="ocr-extra-missing")
        if status.get("state") == "error":
            raise OcrUnavailable(
                "Motorul de citire a bonurilor (OCR) nu a pornit; fotografiile nu se primesc până nu este reparat "
                "(administratorul vede cauza în /health și în `roa2web check`).", kind="ocr-engine-error")

    def _local_reader(self) -> OcrReader:
        self.ensure_enabled()
        if self.reader is None:
            raise OcrUnavailable("Acest proces nu citește bonuri: citirea (OCR) se face în procesul care rulează "
                                 "lucrările din coadă.")
        return self.reader

    # --- starting and watching runs
    async def upload(self, principal: Principal, company_id: int, data: bytes, file_name: str | None) -> OcrStatus:
        """A new DRAFT receipt holding the photo, and the OCR job (queued) that fills it."""
        self.ensure_accepting()
        checked = await self.files.check(data)  # refuse a bad file before creating anything
        receipt = await self.receipts.create(principal, company_id, {}, source="ocr")
        attachment = await self.files.attach(principal, receipt.id, data, file_name, checked=checked)
        return await self._start(principal, receipt, attachment)

    async def rerun(self, principal: Principal, receipt_id: str) -> OcrStatus:
        """OCR a DRAFT receipt's latest file again (fields the user edited stay as they are); the new job."""
        self.ensure_accepting()
        receipt = await self.receipts.get(principal, receipt_id)
        ensure_can_edit(principal, receipt)
        ensure_state(receipt, frozenset({State.DRAFT}), "ocr")
        if not receipt.attachments:
            raise Conflict("Bonul nu are nicio fotografie sau PDF de citit.", kind="no-attachment")
        return await self._start(principal, receipt, receipt.attachments[-1])

    async def _start(self, principal: Principal, receipt: Receipt, attachment: Attachment) -> OcrStatus:
        run_id = await ocr_store.insert_run(
            self.db, receipt_id=receipt.id, attachment_id=attachment.id, requested_by=principal.user_id)
        try:
            job = await self.jobs().submit(OCR_JOB, {"run_id": run_id, "receipt_id": receipt.id},
                                           owner_id=principal.user_id, company_id=receipt.company_id)
        except Exception:
            await ocr_store.delete_run(self.db, run_id)
            raise
        await ocr_store.set_job(self.db, run_id, job.id)
        run = await ocr_store.get_run(self.db, run_id)
        if run is None:  # the receipt was deleted meanwhile, and its runs with it
            raise NotFound(f"Nu există bonul {receipt.id}.")
        return OcrStatus(job, run, await self.receipts.get(principal, receipt.id))

    async def status(self, principal: Principal, job_id: str) -> OcrStatus:
        """An OCR job, the run it carries and its receipt, for a caller who may see that receipt.

        Another company's job is NotFound with the words a job that does not exist gets (not its receipt's id).
        """
        job = await self.jobs().get(job_id)
        run = await ocr_store.get_run(self.db, str(job.params.get("run_id"))) if job and job.kind == OCR_JOB else None
        missing = NotFound(f"Nu există lucrarea de citire OCR {job_id}.")
        if job is None or run is None:
            raise missing
        try:
            receipt = await self.receipts.get(principal, run.receipt_id)
        except NotFound:
            raise missing from None
        return OcrStatus(job, run, receipt)

    async def latest(self, receipt_id: str) -> LatestOcr | None:
        """The newest run of a receipt, with its job."""
        run = await ocr_store.latest_run(self.db, receipt_id)
        if run is None:
            return None
        return LatestOcr(run, await self.jobs().get(run.job_id) if run.job_id else None)

    # --- the job's steps
    async def begin(self, run_id: str) -> bytes | None:
        """The file the run reads; None when there is nothing (left) to do: no such run, or read already.

        Raises NotFound when the file was removed from the receipt meanwhile (the job fails).
        """
        run = await ocr_store.get_run(self.db, run_id)
        if run is None or run.read:
            return None
        attachment = await attachment_store.get_attachment(self.db, run.receipt_id, run.attachment_id)
        if attachment is None:
            raise NotFound("Fișierul a fost eliminat de pe bon.")
        return await self.files.content(attachment)

    async def read(self, data: bytes) -> ReceiptReading:
        """Read the file with the OCR service."""
        return await self._local_reader().read(data)

    async def complete(self, run_id: str, reading: ReceiptReading) -> list[str]:
        """Fill the draft from `reading` and save what the run read; returns the fields filled."""
        for _ in range(_FILL_RETRIES):
            run = await ocr_store.get_run(self.db, run_id)
            if run is None or run.read:
                return []
            receipt = await receipt_store.get_receipt(self.db, run.receipt_id)
            if receipt is not None and receipt.state is State.DRAFT:
                changes, warnings = await self.filler.changes(receipt, reading)
            else:
                receipt, changes, warnings = None, {}, ["Bonul nu mai este ciornă, așa că nu s-a completat nimic."]
            outcome = await ocr_store.save_reading(
                self.db, run_id, receipt=receipt, changes=changes,
                edited_fields=receipt.edited_fields if receipt else (), reading=reading.to_dict(), warnings=warnings)
            if outcome is None:
                return []
            if outcome:
                log.info("OCR run %s filled %s", run_id, ", ".join(sorted(changes)) or "nothing")
                return sorted(changes)
        raise RuntimeError("the receipt kept changing while the OCR result was being saved")
