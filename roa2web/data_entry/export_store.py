"""Claiming APPROVED receipts for an export (APPROVED → EXPORTED), once per export job."""

from __future__ import annotations

import datetime as dt

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.model import Actor, Receipt, State, utc_now
from roa2web.data_entry.store import ReceiptFilter, add_history, list_receipts
from roa2web.data_entry.tables import ReceiptRow

_PAGE = 500


async def claim_for_export(
    db: AppDatabase, *, company_id: int, date_from: dt.date, date_to: dt.date, job_id: str, actor: Actor
) -> int:
    """Mark the company's APPROVED receipts dated in the range EXPORTED by `job_id`; returns how many.

    Idempotent: a job that already claimed receipts claims nothing more (its export is fixed).
    The UPDATE comes first and is conditional on APPROVED, so two exports never claim one receipt.
    """
    mine = ReceiptRow.export_job_id == job_id
    async with write_transaction(db):
        if await ReceiptRow.select(ReceiptRow.id).where(mine).limit(1).aio_execute(db):
            return 0
        claimed = await ReceiptRow.update(
            state=State.EXPORTED.value, exported_at=utc_now(), export_job_id=job_id,
            version=ReceiptRow.version + 1, updated_at=utc_now(),
        ).where(
            (ReceiptRow.company_id == company_id) & (ReceiptRow.state == State.APPROVED.value)
            & (ReceiptRow.receipt_date >= date_from) & (ReceiptRow.receipt_date <= date_to)
        ).aio_execute(db)
        for row in await ReceiptRow.select(ReceiptRow.id).where(mine).aio_execute(db):
            await add_history(db, row.id, company_id, actor, "export", State.APPROVED, State.EXPORTED,
                              f"export {job_id}")
    return int(claimed)


async def count_exported(db: AppDatabase, job_id: str) -> int:
    """How many receipts an export job claimed."""
    return int(await ReceiptRow.select().where(ReceiptRow.export_job_id == job_id).aio_count(db))


async def exported_by(db: AppDatabase, job_id: str) -> list[Receipt]:
    """Every receipt an export job claimed."""
    receipts: list[Receipt] = []
    after: tuple[dt.datetime, str] | None = None
    while True:
        page, more = await list_receipts(db, ReceiptFilter(export_job_id=job_id), after=after, limit=_PAGE)
        receipts.extend(page)
        if not more:
            break
        after = (page[-1].created_at, page[-1].id)
    return sorted(receipts, key=lambda r: (r.fields.receipt_date or dt.date.min, r.fields.document_number or "",
                                           r.id))
