"""Export for ROA: the entries of a period's approved receipts as XLSX and CSV, built by a queued job.

The job (roa2web/tasks/data_entry.py) works in three steps, so a failure never leaves receipts
EXPORTED without a file: `plan` computes the rows of the period's APPROVED receipts, `write` writes
`FILES_DIR/exports/<job id>/bonuri-<company>-<job id[:8]>.xlsx` and `.csv` through `ExportFiles` (like
report exports: one directory per job, so the exports housekeeping expires them after
EXPORT_TTL_HOURS), and only then `claim` marks those receipts EXPORTED, stamped with the job id.
A re-run of the job after a crash plans the receipts the job already claimed, if any, so it
neither exports a receipt twice nor loses a mark; if another export claimed some receipts in the
meantime, the files are written again with what this job holds.

Once done, an export keeps its id. `rebuild` runs its job again when its files expired
(EXPORT_TTL_HOURS): the re-run plans exactly the receipts the export holds, which cannot change
while they are EXPORTED, and writes the same files (the XLSX stamped with the export's start, so
byte for byte). `release` (an admin) voids the export instead and sends its receipts back to
APPROVED, for a new export; a released export is neither downloaded, rebuilt nor run again.

One row per journal line (D = C amount). Amounts are `Decimal` RON with two decimals (never a
float): a number cell formatted 0.00 in the XLSX, text with a dot and two decimals in the UTF-8 CSV
(which has a header row). Every cell goes through `roa2web.exports.cells`: a supplier name or
number a spreadsheet would run as a formula is written as quoted text.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Literal

from roa2web import problems
from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import Conflict, ExportReleased, FieldError, Forbidden, NotFound, ValidationFailed
from roa2web.data_entry.export.reproducible import save_reproducibly
from roa2web.data_entry.jobs import JobQueue
from roa2web.data_entry.model import Actor, ExportRelease, Receipt
from roa2web.data_entry.store import export_store
from roa2web.data_entry.workflow.entries import EntriesUnavailable, limit_matters, receipt_entries
from roa2web.data_entry.workflow.rules import ensure_can_read
from roa2web.data_entry.workflow.service import ReceiptService, actor_of
from roa2web.exports.files import ExportFiles
from roa2web.exports.naming import period_label
from roa2web.jobs.store import STATE_LABELS, Job

EXPORT_JOB = "receipts_export"
HEADER = ("ID bon", "Data", "Număr bon", "Furnizor", "CIF furnizor", "ID partener",
          "Cont debitor", "Cont creditor", "Sumă", "Explicație")
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
Row = tuple[Any, ...]
_AMOUNT = HEADER.index("Sumă")
_CENT = Decimal("0.01")
Format = Literal["xlsx", "csv"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv")


@dataclass(frozen=True, slots=True)
class ExportBatch:
    """The receipts an export writes, its rows, and whether the job already claimed them."""

    company_id: int
    receipt_ids: tuple[str, ...]
    rows: list[Row]
    claimed: bool


def export_file_name(company_id: int, job_id: str, fmt: Format) -> str:
    """The name of one file of export `job_id` (a job id is 32 hex digits; nothing else makes a path)."""
    if not _JOB_ID.match(job_id):
        raise NotFound(f"Nu există exportul {job_id}.")
    return f"bonuri-{company_id}-{job_id[:8]}.{fmt}"


def ron(bani: int) -> Decimal:
    """An amount in bani as RON with exactly two decimals (37410 bani → Decimal("374.10"))."""
    return Decimal(bani).scaleb(-2)


def entry_rows(receipts: Iterable[Receipt], *, vat_payer: bool, eur_rates: Mapping[dt.date, Decimal]) -> list[Row]:
    """One row per journal line of each receipt; `eur_rates`: receipt date → the BNR EUR rate published before it."""
    rows: list[Row] = []
    for receipt in receipts:
        fields = receipt.fields
        rate = eur_rates.get(fields.receipt_date) if fields.receipt_date else None
        try:
            lines = receipt_entries(fields, vat_payer=vat_payer, ron_per_eur=rate).lines
        except EntriesUnavailable as error:
            raise EntriesUnavailable(f"Bonul {receipt.id}: {error}") from error
        for line in lines:
            rows.append((
                receipt.id, fields.receipt_date.isoformat() if fields.receipt_date else "",
                fields.document_number or "", fields.supplier_name or "", fields.supplier_cif or "",
                fields.supplier_partner_id if fields.supplier_partner_id is not None else "",
                line.debit, line.credit, ron(line.amount_bani), line.explanation,
            ))
    return rows


def write_csv(rows: Sequence[Row], path: Path) -> None:
    """The rows as UTF-8 CSV with a header row; amounts as text with a dot and two decimals."""
    from roa2web.exports.cells import csv_row  # with openpyxl, which takes most of a second to import
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_row(HEADER))
        for row in rows:
            writer.writerow(csv_row((*row[:_AMOUNT], row[_AMOUNT].quantize(_CENT), *row[_AMOUNT + 1:])))


def write_xlsx(rows: Sequence[Row], path: Path, made_at: dt.datetime | None = None) -> None:
    """The rows as one XLSX sheet with a header row; amounts as number cells formatted 0.00.

    With `made_at` (the export's start), the same rows give the same bytes (roa2web.data_entry.export.reproducible).
    """
    from openpyxl import Workbook

    from roa2web.exports.cells import xlsx_cell, xlsx_value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("note contabile")
    sheet.append([xlsx_value(sheet, label) for label in HEADER])
    for row in rows:
        values: list[Any] = [xlsx_value(sheet, value) for value in row]
        amount = xlsx_cell(sheet, row[_AMOUNT])  # the Decimal itself: a number cell
        amount.number_format = "0.00"
        values[_AMOUNT] = amount
        sheet.append(values)
    if made_at is None:
        workbook.save(path)
    else:
        save_reproducibly(workbook, path, made_at)


def export_title(params: Mapping[str, Any]) -> str:
    """How people read which receipt export a job makes: 'Export în ROA, noiembrie 2025'."""
    period = period_label({key: params.get(key) for key in ("date_from", "date_to")})
    return f"Export în ROA, {period}" if period else "Export în ROA"


def released_detail(release: ExportRelease) -> str:
    """How people read that an export was released (who, when, how many receipts went back to APPROVED)."""
    return (f"Exportul {release.job_id} a fost anulat de {release.released_by_name} pe "
            f"{release.released_at:%d.%m.%Y, %H:%M} (UTC); bonurile lui ({release.receipts}) au revenit la "
            "„aprobat” și pot intra într-un export nou.")


class ReceiptExports:
    """Starting exports (HTTP) and doing them (the job)."""

    def __init__(self, receipts: ReceiptService, exports_dir: Path, *, jobs: Callable[[], JobQueue]) -> None:
        self.receipts = receipts
        self.files = ExportFiles(exports_dir)
        self.jobs = jobs

    async def start(self, principal: Principal, company_id: int, date_from: dt.date, date_to: dt.date) -> Job:
        """Queue an export of the company's approved receipts dated in [date_from, date_to]."""
        ensure_can_read(principal, company_id)
        if date_from > date_to:
            raise ValidationFailed([FieldError(("date_to",), "Perioada se termină înainte să înceapă", "date_range")])
        params = {"company_id": company_id, "date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                  "user_id": principal.user_id, "username": principal.username,
                  "display_name": principal.display_name}
        return await self.jobs().submit(EXPORT_JOB, params, owner_id=principal.user_id, company_id=company_id)

    async def job(self, principal: Principal, job_id: str) -> Job:
        """An export job the caller may see; another company's is NotFound, as if it did not exist."""
        job = await self.jobs().get(job_id)
        if (job is None or job.kind != EXPORT_JOB or job.company_id is None
                or not principal.may_see_company(job.company_id)):
            raise NotFound(f"Nu există exportul {job_id}.")
        return job

    async def plan(self, job_id: str, params: dict[str, Any]) -> ExportBatch:
        """The receipts the job exports and their rows, nothing marked yet.

        Those the job already claimed (a re-run), else the period's APPROVED receipts. Raises EntriesUnavailable.
        """
        company_id = int(params["company_id"])
        db = self.receipts.db
        release = await export_store.release_of(db, job_id)
        if release is not None:  # a run after the release (an operator's retry, a rebuild that lost the race)
            raise ExportReleased(f"{released_detail(release)} Exportul nu se mai face.")
        receipts = await export_store.exported_by(db, job_id)
        claimed = bool(receipts)
        if not claimed:
            receipts = await export_store.approved_in(
                db, company_id=company_id, date_from=dt.date.fromisoformat(params["date_from"]),
                date_to=dt.date.fromisoformat(params["date_to"]))
        return await self._batch(company_id, receipts, claimed=claimed)

    async def claim(self, job_id: str, params: dict[str, Any], batch: ExportBatch) -> ExportBatch | None:
        """Mark the batch's receipts EXPORTED by the job, once its files are written.

        Returns None when the job now holds exactly the batch, else the batch it holds (write its files again).
        """
        held = await export_store.claim_for_export(
            self.receipts.db, company_id=batch.company_id, receipt_ids=batch.receipt_ids, job_id=job_id,
            actor=Actor(params.get("user_id"), str(params.get("username", "system")), params.get("display_name")))
        if set(held) == set(batch.receipt_ids):
            return None
        receipts = await export_store.exported_by(self.receipts.db, job_id)
        return await self._batch(batch.company_id, receipts, claimed=True)

    async def _batch(self, company_id: int, receipts: list[Receipt], *, claimed: bool) -> ExportBatch:
        company = await self.receipts.nomenclature.company(company_id)
        vat_payer = bool(company and company.vat_payer)
        rows = entry_rows(receipts, vat_payer=vat_payer, eur_rates=await self._eur_rates(receipts, vat_payer))
        return ExportBatch(company_id, tuple(r.id for r in receipts), rows, claimed)

    async def _eur_rates(self, receipts: Iterable[Receipt], vat_payer: bool) -> dict[dt.date, Decimal]:
        """The EUR rate of each receipt date whose receipts need it (dates without a rate left out)."""
        days = {r.fields.receipt_date for r in receipts
                if r.fields.receipt_date and limit_matters(r.fields, vat_payer=vat_payer)}
        rates: dict[dt.date, Decimal] = {}
        for day in sorted(d for d in days if d is not None):
            rate = await self.receipts.eur_rate(day)
            if rate is not None:
                rates[day] = rate.ron_per_eur
        return rates

    async def count(self, job_id: str) -> int:
        """How many receipts an export holds."""
        return await export_store.count_exported(self.receipts.db, job_id)

    async def release_of(self, job_id: str) -> ExportRelease | None:
        """The export's release, if an admin released it (it is void then)."""
        return await export_store.release_of(self.receipts.db, job_id)

    async def rebuild(self, principal: Principal, job_id: str) -> Job:
        """Run a finished export's job again: new files with the receipts it holds, under the same export id.

        Conflict when the export was released, is still running, or holds no receipt (a re-run would
        plan the period's APPROVED receipts instead: a new export's work). The job is queued again
        first, its conditional update letting one of two simultaneous rebuilds through; then each
        receipt's history says who had the file rebuilt (roa2web.data_entry.store.export_store.record_rebuild).
        """
        job = await self.job(principal, job_id)
        db = self.receipts.db
        release = await export_store.release_of(db, job.id)
        if release is not None:
            raise ExportReleased(f"{released_detail(release)} Nu se mai poate reface.")
        if not job.finished:
            raise _not_finished(job, "reface")
        if not await export_store.count_exported(db, job.id):
            raise Conflict(f"Exportul {job.id} nu conține niciun bon, deci nu are ce reface; porniți un export nou "
                           "pentru perioadă.", kind="export-empty")
        try:
            queued = await self.jobs().rerun(job.id, "Se reface fișierul exportului")
        except problems.Conflict:  # another rebuild queued it a moment ago
            current = await self.job(principal, job.id)
            raise _not_finished(current, "reface") from None
        held = await export_store.record_rebuild(db, job_id=job.id, company_id=job.company_id or 0,
                                                 actor=actor_of(principal))
        if held is None:  # released meanwhile: the queued run finds the release and fails without writing
            release = await export_store.release_of(db, job.id)
            raise ExportReleased(f"{released_detail(release)} Nu se mai poate reface." if release else
                                 f"Exportul {job.id} a fost anulat; nu se mai poate reface.")
        return queued

    async def release(self, principal: Principal, job_id: str) -> ExportRelease:
        """Void a finished export (an admin): the receipts it holds go back to APPROVED, with history; its files go.

        Conflict when it was released before (the reply says when and by whom) or is still running.
        """
        job = await self.job(principal, job_id)
        if not principal.is_admin:
            raise Forbidden("Doar un administrator poate anula un export.", kind="role-forbidden")
        if not job.finished:
            raise _not_finished(job, "anula")
        release = await export_store.release_export(self.receipts.db, job_id=job.id, company_id=job.company_id or 0,
                                                    actor=actor_of(principal))
        if release is None:
            earlier = await export_store.release_of(self.receipts.db, job.id)
            raise ExportReleased(released_detail(earlier) if earlier else f"Exportul {job.id} a fost deja anulat.")
        return release

    def discard_files(self, job_id: str) -> None:
        """Remove an export's files (a released export's). Blocking: run it in a worker thread."""
        shutil.rmtree(self.files.job_dir(job_id), ignore_errors=True)

    def write(self, job_id: str, company_id: int, rows: Sequence[Row], made_at: dt.datetime | None = None) -> str:
        """Write both files of the export, each atomically, into FILES_DIR/exports/<job id>/.

        `made_at`: the export's start, which makes the XLSX the same bytes each time (a rebuild). Blocking:
        run it in a worker thread. Returns the job's result_ref ('<job id>/<xlsx name>').
        """
        names = {fmt: export_file_name(company_id, job_id, fmt) for fmt in FORMATS}
        writers: dict[Format, Callable[[Path], None]] = {
            "csv": partial(write_csv, rows), "xlsx": partial(write_xlsx, rows, made_at=made_at)}
        for fmt in ("csv", "xlsx"):  # the XLSX, the result_ref, last
            self.files.write(job_id, names[fmt], writers[fmt])
        return f"{job_id}/{names['xlsx']}"

    def file(self, job_id: str, company_id: int, fmt: Format) -> Path | None:
        """A written file of the export, or None when it expired (or was never written)."""
        return self.files.resolve(f"{job_id}/{export_file_name(company_id, job_id, fmt)}")


def _not_finished(job: Job, verb: str) -> Conflict:
    """The export's job is queued or running: it can be `verb`-ed ("reface", "anula") once it ends."""
    return Conflict(f"Exportul {job.id} este {STATE_LABELS[job.state]}; se poate {verb} după ce se termină.",
                    kind="export-not-ready")
