"""The receipts of an export: the period's APPROVED receipts, and claiming them (APPROVED → EXPORTED) once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.model import Actor, Receipt, State, utc_now
from roa2web.data_entry.store.receipt_store import ReceiptFilter, add_history, list_receipts
from roa2web.data_entry.store.tables import ReceiptRow

_PAGE = 500


async def claim_for_export(
    db: AppDatabase, *, company_id: int, receipt_ids: Sequence[str], job_id: str, actor: Actor
) -> list[str]:
    """Mark those of `receipt_ids` still APPROVED (in the company) EXPORTED by `job_id`.

    Returns the ids the job holds afterwards.

    Idempotent: a job that already claimed receipts claims nothing more (its export is fixed) and
    gets the ids it holds. The UPDATE is conditional on APPROVED, so two exports never claim one receipt.
    """
    mine = ReceiptRow.export_job_id == job_id
    async with write_transaction(db):
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
        held = [row.id for row in await ReceiptRow.select(ReceiptRow.id).where(mine).aio_execute(db)]
        for receipt_id in held:
            await add_history(db, receipt_id, company_id, actor, "export", State.APPROVED, State.EXPORTED,
                              f"Exportul {job_id}")
    return sorted(held)


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
