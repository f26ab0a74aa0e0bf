"""Every state change of a job: each one a single conditional UPDATE (`WHERE id = ? AND state IN ...`).

A read followed by a write would let two workers (or a worker and a recovering process) both
win on PostgreSQL; a conditional UPDATE lets exactly one win, and the loser sees `False`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee

from roa2web.appdb import AppDatabase
from roa2web.jobs.store import Job, JobRow, JobState, db_time, job_from_row, now_utc, one_line

FAILED_MESSAGE = "Eșuat"


async def _update(db: AppDatabase, where: peewee.Expression, **values: Any) -> bool:
    values["updated_at"] = db_time(now_utc())
    return bool(await JobRow.update(values).where(where).aio_execute(db))


def _is(job_id: str, *states: JobState) -> peewee.Expression:
    return (JobRow.id == job_id) & JobRow.state.in_([str(state) for state in states])


def _held(job_id: str, worker: str) -> peewee.Expression:
    return _is(job_id, JobState.RUNNING) & (JobRow.worker == worker)


async def claim_job(db: AppDatabase, job_id: str, worker: str) -> Job | None:
    """Queued → running for `worker` (one attempt more); None when someone else has it or it is over."""
    now = db_time(now_utc())
    rows = await (
        JobRow.update(
            state=JobState.RUNNING.value,
            worker=worker,
            attempts=JobRow.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            updated_at=now,
        )
        .where(_is(job_id, JobState.QUEUED) & (JobRow.cancel_requested == False))  # noqa: E712 - SQL
        .returning(JobRow)
        .aio_execute(db)
    )
    return job_from_row(rows[0]) if rows else None


async def record_progress(db: AppDatabase, job_id: str, worker: str, progress: int, message: str) -> bool:
    """Progress of a running job (also a heartbeat); False when `worker` no longer holds it."""
    return await _update(
        db,
        _held(job_id, worker),
        progress=max(0, min(100, progress)),
        message=one_line(message, 500),
        heartbeat_at=db_time(now_utc()),
    )


async def cancel_requested(db: AppDatabase, job_id: str) -> bool:
    """Whether someone asked to cancel this job."""
    rows = await JobRow.select(JobRow.cancel_requested).where(JobRow.id == job_id).aio_execute(db)
    return bool(rows and rows[0].cancel_requested)


async def finish_job(db: AppDatabase, job_id: str, worker: str, result_ref: str | None) -> bool:
    """Running → done (or → cancelled when a cancel was requested meanwhile)."""
    cancelled = JobRow.cancel_requested == True  # noqa: E712 - SQL, not Python
    return await _update(
        db,
        _held(job_id, worker),
        state=peewee.Case(None, [(cancelled, JobState.CANCELLED.value)], JobState.DONE.value),
        message=peewee.Case(None, [(cancelled, "Anulat")], "Finalizat"),
        progress=100,
        result_ref=result_ref,
        error=None,
        finished_at=db_time(now_utc()),
    )


def failed_message(reason: str | None) -> str:
    """A failed job's `message`: "Eșuat", with the reason people can read when there is one."""
    return f"{FAILED_MESSAGE}: {one_line(reason, 480)}" if reason else FAILED_MESSAGE


async def fail_job(db: AppDatabase, job_id: str, worker: str, error: str, reason: str | None = None) -> bool:
    """Running → failed, for good: `error` is the operator's diagnostic, `reason` (Romanian) what people read."""
    return await _update(
        db, _held(job_id, worker), state=JobState.FAILED.value, message=failed_message(reason),
        error=one_line(error), finished_at=db_time(now_utc()),
    )


async def requeue_job(
    db: AppDatabase,
    job_id: str,
    worker: str,
    *,
    error: str,
    task_id: str,
    run_after: dt.datetime,
    counted: bool = True,
) -> bool:
    """Running → queued for a later attempt.

    After a transient failure, or, with `counted` false, after an interruption whose attempt is
    given back (the process stopped under it).
    """
    values: dict[str, Any] = {"message": "Eroare trecătoare; se încearcă din nou"}
    if not counted:
        values = {"attempts": JobRow.attempts - 1, "message": "Întrerupt de oprirea procesului; se reia"}
    return await _update(
        db,
        _held(job_id, worker),
        state=JobState.QUEUED.value,
        worker=None,
        error=one_line(error),
        task_id=task_id,
        run_after=db_time(run_after),
        **values,
    )


async def cancel_queued(db: AppDatabase, job_id: str) -> bool:
    """Queued → cancelled (it never starts)."""
    now = db_time(now_utc())
    return await _update(
        db, _is(job_id, JobState.QUEUED), state=JobState.CANCELLED.value, message="Anulat", cancel_requested=True,
        finished_at=now,
    )


async def abandon_queued(db: AppDatabase, job_id: str, error: str) -> bool:
    """Queued → failed, when its message could not be put on the queue at all."""
    now = db_time(now_utc())
    return await _update(db, _is(job_id, JobState.QUEUED), state=JobState.FAILED.value, message=FAILED_MESSAGE,
                         error=one_line(error), finished_at=now)


async def request_cancel(db: AppDatabase, job_id: str) -> bool:
    """Ask a running job to stop; its handler sees it through `ctx.cancelled()`."""
    return await _update(db, _is(job_id, JobState.RUNNING), cancel_requested=True)


async def reset_job(
    db: AppDatabase,
    job_id: str,
    task_id: str,
    *,
    states: tuple[JobState, ...] = (JobState.FAILED, JobState.CANCELLED),
    message: str = "Repornit la cerere",
) -> bool:
    """One of `states` → queued, with a fresh set of attempts (an operator's retry; a module's re-run of a done job)."""
    return await _update(
        db,
        _is(job_id, *states),
        state=JobState.QUEUED.value,
        attempts=0,
        progress=0,
        message=message,
        error=None,
        result_ref=None,
        cancel_requested=False,
        worker=None,
        task_id=task_id,
        run_after=None,
        started_at=None,
        finished_at=None,
    )


async def reassign_queued(db: AppDatabase, job_id: str, old_task_id: str | None, task_id: str) -> bool:
    """Point a queued job at a new Huey task (recovery); False when it moved on meanwhile."""
    where = _is(job_id, JobState.QUEUED)
    where &= JobRow.task_id.is_null() if old_task_id is None else (JobRow.task_id == old_task_id)
    return await _update(db, where, task_id=task_id)


async def release_orphan(db: AppDatabase, job: Job, *, task_id: str, reason: str, stale_before: dt.datetime) -> bool:
    """A running job whose worker is gone → queued again, or failed when its attempts are spent.

    Conditional on the worker, and (with `stale_before`) on the heartbeat still being that old.
    """
    where = _held(job.id, job.worker or "") & (JobRow.heartbeat_at < db_time(stale_before))
    if job.attempts >= job.max_attempts:
        return await _update(
            db, where, state=JobState.FAILED.value, message=FAILED_MESSAGE, error=one_line(reason),
            finished_at=db_time(now_utc()),
        )
    return await _update(
        db, where, state=JobState.QUEUED.value, worker=None, task_id=task_id, error=one_line(reason),
        message="Procesul care îl rula s-a oprit; se reia",
    )


async def heartbeat(db: AppDatabase, worker: str) -> int:
    """Every job `worker` runs is still alive."""
    now = db_time(now_utc())
    where = (JobRow.state == JobState.RUNNING.value) & (JobRow.worker == worker)
    return int(await JobRow.update(heartbeat_at=now).where(where).aio_execute(db))
