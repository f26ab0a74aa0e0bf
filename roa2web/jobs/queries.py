"""Queries over many jobs: counts for the dashboard and health, orphans, and purging old rows."""

from __future__ import annotations

import datetime as dt

import peewee

from roa2web.appdb import AppDatabase
from roa2web.jobs.store import FINISHED, Job, JobRow, JobState, aware_utc, db_time, job_from_row, now_utc


async def state_counts(db: AppDatabase) -> dict[str, int]:
    """How many jobs are in each state (every state present, zeros included)."""
    rows = await (
        JobRow.select(JobRow.state, peewee.fn.COUNT(JobRow.id).alias("n")).group_by(JobRow.state).aio_execute(db)
    )
    counts = {str(state): 0 for state in JobState}
    for row in rows:
        counts[row.state] = int(row.n)
    return counts


async def kind_counts(db: AppDatabase, *, since: dt.datetime) -> dict[str, dict[str, int]]:
    """Per kind, jobs created since `since` by state."""
    rows = await (
        JobRow.select(JobRow.kind, JobRow.state, peewee.fn.COUNT(JobRow.id).alias("n"))
        .where(JobRow.created_at >= db_time(since))
        .group_by(JobRow.kind, JobRow.state)
        .aio_execute(db)
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row.kind, {})[row.state] = int(row.n)
    return out


async def oldest_queued(db: AppDatabase) -> dt.datetime | None:
    """When the longest-waiting queued job was created."""
    rows = await (
        JobRow.select(peewee.fn.MIN(JobRow.created_at).alias("oldest"))
        .where(JobRow.state == JobState.QUEUED.value)
        .aio_execute(db)
    )
    return aware_utc(rows[0].oldest) if rows else None


async def running_per_worker(db: AppDatabase) -> dict[str, int]:
    """How many jobs each consumer (by worker id) is running now: its busy worker threads."""
    rows = await (
        JobRow.select(JobRow.worker, peewee.fn.COUNT(JobRow.id).alias("n"))
        .where((JobRow.state == JobState.RUNNING.value) & JobRow.worker.is_null(False))
        .group_by(JobRow.worker)
        .aio_execute(db)
    )
    return {row.worker: int(row.n) for row in rows}


async def jobs_in_state(db: AppDatabase, state: JobState, *, limit: int = 1000) -> list[Job]:
    """Jobs in one state, oldest first (recovery walks these)."""
    rows = await (
        JobRow.select()
        .where(JobRow.state == state.value)
        .order_by(JobRow.created_at, JobRow.id)
        .limit(limit)
        .aio_execute(db)
    )
    return [job_from_row(row) for row in rows]


async def recently_finished(db: AppDatabase, *, limit: int = 10) -> list[Job]:
    """The last finished jobs, newest first."""
    rows = await (
        JobRow.select()
        .where(JobRow.state.in_([str(state) for state in FINISHED]))
        .order_by(JobRow.finished_at.desc(), JobRow.id.desc())
        .limit(limit)
        .aio_execute(db)
    )
    return [job_from_row(row) for row in rows]


async def purge_jobs(db: AppDatabase, *, states: tuple[JobState, ...], older_than: dt.timedelta) -> int:
    """Delete finished jobs in `states` that finished more than `older_than` ago."""
    wanted = [str(state) for state in states if state in FINISHED]
    if not wanted:
        raise ValueError("only finished jobs (done, failed, cancelled) can be purged")
    cutoff = db_time(now_utc() - older_than)
    where = JobRow.state.in_(wanted) & (JobRow.finished_at < cutoff)
    return int(await JobRow.delete().where(where).aio_execute(db))
