"""OCR runs in the data-entry database: QUEUED → RUNNING → DONE / FAILED, each step one conditional UPDATE."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.model import Actor, OcrRun, OcrState, Receipt, State, utc_now
from roa2web.data_entry.store import apply_field_changes, new_id
from roa2web.data_entry.tables import OcrRunRow

_ACTIVE = (OcrState.QUEUED.value, OcrState.RUNNING.value)


def _run(row: OcrRunRow) -> OcrRun:
    return OcrRun(
        id=row.id,
        receipt_id=row.receipt_id,
        attachment_id=row.attachment_id,
        job_id=row.job_id,
        state=OcrState(row.state),
        attempts=row.attempts,
        fields=json.loads(row.fields_json) if row.fields_json else {},
        raw_text=row.raw_text,
        applied=tuple(json.loads(row.applied_json)) if row.applied_json else (),
        warnings=tuple(json.loads(row.warnings_json)) if row.warnings_json else (),
        error=row.error,
        requested_by=row.requested_by,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


async def insert_run(db: AppDatabase, *, receipt_id: str, attachment_id: str, requested_by: str) -> str:
    """A new QUEUED run (its job id is set once the job exists)."""
    run_id = new_id()
    await OcrRunRow.insert(
        id=run_id, receipt_id=receipt_id, attachment_id=attachment_id, state=OcrState.QUEUED.value, attempts=0,
        requested_by=requested_by, created_at=utc_now(),
    ).returning(OcrRunRow.id).aio_execute(db)
    return run_id


async def set_job(db: AppDatabase, run_id: str, job_id: str) -> None:
    """Remember which job carries the run."""
    await OcrRunRow.update(job_id=job_id).where(OcrRunRow.id == run_id).aio_execute(db)


async def get_run(db: AppDatabase, run_id: str) -> OcrRun | None:
    """A run by id."""
    rows = await OcrRunRow.select().where(OcrRunRow.id == run_id).aio_execute(db)
    return _run(rows[0]) if rows else None


async def get_run_by_job(db: AppDatabase, job_id: str) -> OcrRun | None:
    """The run a job carries."""
    rows = await OcrRunRow.select().where(OcrRunRow.job_id == job_id).aio_execute(db)
    return _run(rows[0]) if rows else None


async def latest_run(db: AppDatabase, receipt_id: str) -> OcrRun | None:
    """The newest run of a receipt."""
    rows = await OcrRunRow.select().where(OcrRunRow.receipt_id == receipt_id).order_by(
        OcrRunRow.created_at.desc(), OcrRunRow.id.desc()).limit(1).aio_execute(db)
    return _run(rows[0]) if rows else None


async def start_run(db: AppDatabase, run_id: str) -> bool:
    """QUEUED (or RUNNING left by a dead worker) → RUNNING, one attempt more; False when it is over."""
    count = await OcrRunRow.update(
        state=OcrState.RUNNING.value, attempts=OcrRunRow.attempts + 1, started_at=utc_now(), error=None,
    ).where((OcrRunRow.id == run_id) & OcrRunRow.state.in_(_ACTIVE)).aio_execute(db)
    return bool(count)


async def fail_run(db: AppDatabase, run_id: str, error: str, *, final: bool) -> None:
    """RUNNING → FAILED (final) or back to QUEUED for another attempt."""
    state = OcrState.FAILED if final else OcrState.QUEUED
    await OcrRunRow.update(state=state.value, error=error[:2000], finished_at=utc_now() if final else None).where(
        (OcrRunRow.id == run_id) & OcrRunRow.state.in_(_ACTIVE)).aio_execute(db)


async def finish_run(
    db: AppDatabase, run_id: str, *, receipt: Receipt | None, changes: dict[str, Any], edited_fields: Collection[str],
    reading: dict[str, Any], warnings: list[str],
) -> bool | None:
    """In one transaction: fill the DRAFT receipt (if still at its version) and mark the run DONE.

    Returns None when the run is no longer running (nothing written), False when the receipt moved
    on (nothing written; reload it and try again), True when both were written.
    """
    running = (OcrRunRow.id == run_id) & (OcrRunRow.state == OcrState.RUNNING.value)
    async with write_transaction(db):
        if not await OcrRunRow.update(state=OcrState.RUNNING.value).where(running).aio_execute(db):
            return None  # the no-op UPDATE checks the state and takes the row's write lock
        if receipt is not None and changes and not await apply_field_changes(
            db, receipt, changes, states=(State.DRAFT,), edited_fields=edited_fields, actor=Actor(None, "ocr"),
            action="ocr", comment="filled from the photo: " + ", ".join(sorted(changes)),
        ):
            return False
        await OcrRunRow.update(
            state=OcrState.DONE.value, fields_json=json.dumps(reading["fields"], default=str),
            raw_text=reading["raw_text"], applied_json=json.dumps(sorted(changes)),
            warnings_json=json.dumps(warnings), finished_at=utc_now(), error=None,
        ).where(running).aio_execute(db)
    return True
