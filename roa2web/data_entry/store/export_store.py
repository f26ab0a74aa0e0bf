"""The receipts of an export: claiming the period's APPROVED ones (→ EXPORTED) once; rebuilding, releasing it.

Rebuilding its file leaves a history entry on each receipt; releasing it (an admin) sends them back to APPROVED.

Each of those is one transaction of the data-entry database. Those that must see a release made at the
same time write to the export's receipts before reading `receipt_export_releases`: on PostgreSQL the UPDATE
waits for the rows' write locks, so the read after it sees a release that committed meanwhile (SQLite's
BEGIN IMMEDIATE runs write transactions one at a time anyway).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from roa2web.appdb import AppDatabase, transaction_lock, write_transaction
from roa2web.data_entry.errors import ExportReleased
from roa2web.data_entry.model import Actor, ExportRelease, Receipt, State, utc_now
from roa2web.data_entry.store.receipt_store import ReceiptFilter, add_history, list_receipts
from roa2web.data_entry.store.tables import ExportReleaseRow, ReceiptRow

_PAGE = 500


def _export_lock(job_id: str) -> str:
    """The lock claiming, releasing and rebuilding one export take first.

    A release cannot see receipts a claim has updated but not committed (PostgreSQL): without it,
    the release found nothing to send back and the claim, not yet seeing the release, committed,
    leaving the receipts EXPORTED by a voided export for good.
    """
    return f"receipts export {job_id}"


async def claim_for_export(
    db: AppDatabase, *, company_id: int, receipt_ids: Sequence[str], job_id: str, actor: Actor
) -> list[str]:
    """Mark those of `receipt_ids` still APPROVED (in the company) EXPORTED by `job_id`.

    Returns the ids the job holds afterwards.

    Idempotent: a job that already claimed receipts claims nothing more (its export is fixed) and
    gets the ids it holds. The UPDATE is conditional on APPROVED, so two exports never claim one receipt.
    Raises ExportReleased (and claims nothing) when an admin released the export: its receipts are
    free for other exports, not for a late run of this one.
    """
    mine = ReceiptRow.export_job_id == job_id
    async with write_transaction(db):
        await transaction_lock(db, _export_lock(job_id))
        held = [row.id for row in await ReceiptRow.select(ReceiptRow.id).where(mine).aio_execute(db)]
        if held:
            return sorted(held)
        now = utc_now()
        ids = list(dict.fromkeys(receipt_ids))
        for start in range(0, len(ids), _PAGE):
            await ReceiptRow.update(
                state=State.EXPORTED.value, exported_at=now, export_job_id=job_id,
                version=ReceiptRow.version + 1, updated_at=now,
            ).where(
                ReceiptRow.id.in_(ids[start:start + _PAGE]) & (ReceiptRow.company_id == company_id)
                & (ReceiptRow.state == State.APPROVED.value)
            ).aio_execute(db)
        if await release_of(db, job_id) is not None:
            raise ExportReleased(f"Exportul {job_id} a fost anulat; nu mai primește bonuri.")
        held = [row.id for row in await ReceiptRow.select(ReceiptRow.id).where(mine).aio_execute(db)]
        for receipt_id in held:
            await add_history(db, receipt_id, company_id, actor, "export", State.APPROVED, State.EXPORTED,
                              f"Exportul {job_id}")
    return sorted(held)


async def release_of(db: AppDatabase, job_id: str) -> ExportRelease | None:
    """The release of an export, if an admin released it."""
    rows = await ExportReleaseRow.select().where(ExportReleaseRow.job_id == job_id).aio_execute(db)
    if not rows:
        return None
    row = rows[0]
    return ExportRelease(row.job_id, row.company_id, row.receipts, row.released_at, row.released_by,
                         row.released_by_name)


async def release_export(db: AppDatabase, *, job_id: str, company_id: int, actor: Actor) -> ExportRelease | None:
    """Void the export and send the receipts it still holds back to APPROVED, each with a history entry.

    Returns the release, or None when the export was released before (nothing changes then). One
    transaction: the release row first (its primary key makes a concurrent second release wait, then
    find it), then one conditional UPDATE of exactly the receipts that are still EXPORTED by this job
    in its company. A receipt that moved on meanwhile (another state, another export) is not
    touched and gets no history entry; each one released gets a new version, so an action decided
    on its EXPORTED version fails rather than acting on the APPROVED one.
    """
    now = utc_now()
    async with write_transaction(db):
        await transaction_lock(db, _export_lock(job_id))
        inserted = await ExportReleaseRow.insert(
            job_id=job_id, company_id=company_id, receipts=0, released_at=now, released_by=actor.user_id or "",
            released_by_name=actor.name,
        ).on_conflict_ignore().returning(ExportReleaseRow.job_id).aio_execute(db)
        if not list(inserted):
            return None
        rows = await ReceiptRow.update(
            state=State.APPROVED.value, exported_at=None, export_job_id=None, version=ReceiptRow.version + 1,
            updated_at=now,
        ).where(
            (ReceiptRow.export_job_id == job_id) & (ReceiptRow.company_id == company_id)
            & (ReceiptRow.state == State.EXPORTED.value)
        ).returning(ReceiptRow.id).aio_execute(db)
        released = sorted(row.id for row in rows)
        await ExportReleaseRow.update(receipts=len(released)).where(
            ExportReleaseRow.job_id == job_id).aio_execute(db)
        for receipt_id in released:
            await add_history(db, receipt_id, company_id, actor, "release", State.EXPORTED, State.APPROVED,
                              f"Exportul {job_id} a fost anulat")
    return ExportRelease(job_id, company_id, len(released), now, actor.user_id or "", actor.name)


async def record_rebuild(db: AppDatabase, *, job_id: str, company_id: int, actor: Actor) -> list[str] | None:
    """A history entry on every receipt the export holds: its file is being written again, by `actor`.

    Returns those receipts' ids, or None (and writes nothing) when the export was released. The
    UPDATE changes nothing but takes the receipts' write locks, so a release running at the same
    time either comes first (the export then holds nothing and its release is seen) or waits for this.
    """
    async with write_transaction(db):
        await transaction_lock(db, _export_lock(job_id))
        rows = await ReceiptRow.update(state=ReceiptRow.state).where(
            (ReceiptRow.export_job_id == job_id) & (ReceiptRow.company_id == company_id)
            & (ReceiptRow.state == State.EXPORTED.value)
        ).returning(ReceiptRow.id).aio_execute(db)
        if await release_of(db, job_id) is not None:
            return None
        held = sorted(row.id for row in rows)
        for receipt_id in held:
            await add_history(db, receipt_id, company_id, actor, "rebuild", State.EXPORTED, State.EXPORTED,
                              f"Fișierul exportului {job_id} se reface")
    return held


async def count_exported(db: AppDatabase, job_id: str) -> int:
    """How many receipts an export job claimed."""
    return int(await ReceiptRow.select().where(ReceiptRow.export_job_id == job_id).aio_count(db))


async def exported_by(db: AppDatabase, job_id: str) -> list[Receipt]:
    """Every receipt an export job claimed, in export order."""
    return await _every(db, ReceiptFilter(export_job_id=job_id))


async def approved_in(db: AppDatabase, *, company_id: int, date_from: dt.date, date_to: dt.date) -> list[Receipt]:
    """The company's APPROVED receipts dated in [date_from, date_to], in export order."""
    return await _every(db, ReceiptFilter(company_ids=frozenset({company_id}), state=State.APPROVED,
                                          date_from=date_from, date_to=date_to))


async def _every(db: AppDatabase, where: ReceiptFilter) -> list[Receipt]:
    receipts: list[Receipt] = []
    after: tuple[dt.datetime, str] | None = None
    while True:
        page, more = await list_receipts(db, where, after=after, limit=_PAGE)
        receipts.extend(page)
        if not more:
            break
        after = (page[-1].created_at, page[-1].id)
    return sorted(receipts, key=lambda r: (r.fields.receipt_date or dt.date.min, r.fields.document_number or "",
                                           r.id))
