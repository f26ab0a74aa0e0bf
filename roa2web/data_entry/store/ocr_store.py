"""OCR runs in the data-entry database: what each pass read. Their state is their job's (`jobs` table).

A run is written twice: inserted when its job is submitted, and given its reading once (in the same
transaction as the draft it fills, and only if it has none yet, so a job run twice saves it once).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.labels import field_list
from roa2web.data_entry.model import Actor, OcrRun, Receipt, State, utc_now
from roa2web.data_entry.store.receipt_store import apply_field_changes, new_id
from roa2web.data_entry.store.tables import OcrRunRow


def _run(row: OcrRunRow) -> OcrRun:
    return OcrRun(
        id=row.id,
        receipt_id=row.receipt_id,
        attachment_id=row.attachment_id,
        job_id=row.job_id,
        fields=json.loads(row.fields_json) if row.fields_json else {},
        raw_text=row.raw_text,
        applied=tuple(json.loads(row.applied_json)) if row.applied_json else (),
        warnings=tuple(json.loads(row.warnings_json)) if row.warnings_json else (),
        requested_by=row.requested_by,
        created_at=row.created_at,
    )


async def insert_run(db: AppDatabase, *, receipt_id: str, attachment_id: str, requested_by: str) -> str:
    """A new run, nothing read yet (its job id is set once the job exists)."""
    run_id = new_id()
    await OcrRunRow.insert(
        id=run_id, receipt_id=receipt_id, attachment_id=attachment_id, requested_by=requested_by,
        created_at=utc_now(),
    ).returning(OcrRunRow.id).aio_execute(db)
    return run_id


async def set_job(db: AppDatabase, run_id: str, job_id: str) -> None:
    """Remember which job carries the run."""
    await OcrRunRow.update(job_id=job_id).where(OcrRunRow.id == run_id).aio_execute(db)


async def delete_run(db: AppDatabase, run_id: str) -> None:
    """Forget a run whose job could not be submitted."""
    await OcrRunRow.delete().where(OcrRunRow.id == run_id).aio_execute(db)


async def get_run(db: AppDatabase, run_id: str) -> OcrRun | None:
    """A run by id."""
    rows = await OcrRunRow.select().where(OcrRunRow.id == run_id).aio_execute(db)
    return _run(rows[0]) if rows else None


async def latest_run(db: AppDatabase, receipt_id: str) -> OcrRun | None:
    """The newest run of a receipt that has a job."""
    rows = await OcrRunRow.select().where(
        (OcrRunRow.receipt_id == receipt_id) & OcrRunRow.job_id.is_null(False)).order_by(
        OcrRunRow.created_at.desc(), OcrRunRow.id.desc()).limit(1).aio_execute(db)
    return _run(rows[0]) if rows else None


async def save_reading(
    db: AppDatabase, run_id: str, *, receipt: Receipt | None, changes: dict[str, Any], edited_fields: Collection[str],
    reading: dict[str, Any], warnings: list[str],
) -> bool | None:
    """In one transaction: fill the DRAFT receipt (if still at its version) and save what the run read.

    Returns None when the run has its reading already, or is gone (nothing written), False when the
    receipt moved on (nothing written; reload it and try again), True when both were written.
    """
    unread = (OcrRunRow.id == run_id) & OcrRunRow.raw_text.is_null()
    async with write_transaction(db):
        if not await OcrRunRow.update(raw_text=None).where(unread).aio_execute(db):
            return None  # the no-op UPDATE checks the run is unread and takes the row's write lock
        if receipt is not None and changes and not await apply_field_changes(
            db, receipt, changes, states=(State.DRAFT,), edited_fields=edited_fields, actor=Actor(None, "ocr"),
            action="ocr", comment="Completat din fotografie: " + field_list(sorted(changes)),
        ):
            return False
        await OcrRunRow.update(
            fields_json=json.dumps(reading["fields"], default=str), raw_text=reading["raw_text"],
            applied_json=json.dumps(sorted(changes)), warnings_json=json.dumps(warnings),
        ).where(unread).aio_execute(db)
    return True
