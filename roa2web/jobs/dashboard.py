"""The queue's figures in one snapshot: what `roa2web queue dashboard` shows and `GET /api/tasks` returns.

Workers are the consumers' worker threads (QUEUE_WORKERS each): configured, alive, and busy (running
a job now). A consumer's scheduler thread is not a worker and is not counted.

It reads only shared state (the queue backend, the jobs and consumers tables, Huey's stats
tables), so it gives the same answer from the server, a second terminal or another machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import peewee

from roa2web.appdb import AppDatabase
from roa2web.jobs import consumers, stats
from roa2web.jobs.queries import (
    jobs_in_state,
    kind_counts,
    oldest_queued,
    recently_finished,
    running_per_worker,
    state_counts,
)
from roa2web.jobs.queue import JobQueue
from roa2web.jobs.store import Job, JobState, now_utc

log = logging.getLogger("roa2web.jobs.dashboard")
THROUGHPUT_MINUTES = 10


def _backend(queue: JobQueue, list_limit: int) -> dict[str, Any]:
    try:
        counts = queue.counts()
        return {
            "reachable": True,
            **counts,
            "waiting": queue.pending(list_limit),
            "scheduled_messages": queue.scheduled(list_limit),
        }
    except Exception as exc:
        return {"reachable": False, "error": str(exc) or type(exc).__name__, "pending": None, "scheduled": None,
                "waiting": [], "scheduled_messages": []}


def _huey_figures(queue: JobQueue, db: peewee.Database) -> dict[str, Any]:
    try:
        with db.connection_context():
            recorder = stats.reader(queue.huey, db)
            return {
                "tasks": stats.task_breakdown(recorder),
                "throughput": stats.throughput(recorder, minutes=THROUGHPUT_MINUTES),
                "inflight": stats.inflight(recorder),
            }
    except Exception as exc:
        log.warning("queue stats unreadable: %s", exc)
        return {"tasks": [], "throughput": [], "inflight": [], "stats_error": str(exc)}


def _running(job: Job, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "started_at": job.started_at,
        "elapsed_s": (now - job.started_at).total_seconds() if job.started_at else None,
        "progress": job.progress,
        "message": job.message,
        "attempts": job.attempts,
        "worker": job.worker,
    }


def _finished(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": str(job.state),
        "finished_at": job.finished_at,
        "duration_s": job.duration_s,
        "attempts": job.attempts,
        "error": job.error,
    }


async def snapshot(
    db: AppDatabase, queue: JobQueue, stats_db: peewee.Database, *, stale_after_s: float, list_limit: int = 10
) -> dict[str, Any]:
    """Every figure of the dashboard (times as aware datetimes; durations in seconds)."""
    now = now_utc()
    backend_task = asyncio.create_task(asyncio.to_thread(_backend, queue, list_limit))
    huey_task = asyncio.create_task(asyncio.to_thread(_huey_figures, queue, stats_db))
    counts = await state_counts(db)
    oldest = await oldest_queued(db)
    running = await jobs_in_state(db, JobState.RUNNING, limit=50)
    recent = await recently_finished(db, limit=list_limit)
    kinds = await kind_counts(db, since=now - dt.timedelta(days=1))
    live = await consumers.live_consumers(
        db, queue=queue.settings.queue_name, seen_within=dt.timedelta(seconds=stale_after_s)
    )
    busy = await running_per_worker(db)
    backend = await backend_task
    huey = await huey_task
    completed_last = [minute["completed"] + minute["errors"] for minute in huey["throughput"]]
    return {
        "generated_at": now,
        "backend": {"kind": queue.backend, "queue": queue.settings.queue_name, "reachable": backend["reachable"],
                    "error": backend.get("error")},
        "pending": backend["pending"],
        "scheduled": backend["scheduled"],
        "waiting": backend["waiting"],
        "scheduled_messages": backend["scheduled_messages"],
        "jobs": counts,
        "oldest_queued_age_s": (now - oldest).total_seconds() if oldest else None,
        "running": [_running(job, now) for job in running],
        "recent": [_finished(job) for job in recent],
        "kinds": kinds,
        "tasks": huey["tasks"],
        "throughput": huey["throughput"],
        "throughput_per_minute": sum(completed_last) / len(completed_last) if completed_last else 0.0,
        "inflight": huey["inflight"],
        "consumers": [
            {"id": c.id, "host": c.host, "pid": c.pid, "workers": c.workers, "workers_alive": c.workers_alive,
             "workers_busy": busy.get(c.id, 0), "started_at": c.started_at, "seen_at": c.seen_at}
            for c in live
        ],
        "workers_busy": sum(busy.get(c.id, 0) for c in live),
        "workers_alive": sum(c.workers_alive for c in live),
        "workers_total": sum(c.workers for c in live),
    }
