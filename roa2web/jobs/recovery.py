"""Jobs outlive processes: recovery after a lost message or a dead worker.

Queued jobs whose message was lost are sent again; running jobs whose worker died (killed,
crashed, or shut down before its task finished) are taken back.

A running job is orphaned when its worker's process is gone from this host, or when its heartbeat
is older than QUEUE_STALE_AFTER_S (a worker on another machine, or a wedged one). Every takeover
is a conditional UPDATE, so two recovering processes cannot both re-send the same job.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket

import psutil

from roa2web.appdb import AppDatabase
from roa2web.jobs.consumers import mark_dead_here, parse_worker_id
from roa2web.jobs.queries import jobs_in_state
from roa2web.jobs.queue import JobQueue
from roa2web.jobs.store import Job, JobState, now_utc
from roa2web.jobs.transitions import reassign_queued, release_orphan

log = logging.getLogger("roa2web.jobs.recovery")
BATCH = 5000


def worker_process_gone(worker: str | None) -> bool:
    """True when `worker` ran on this host and its process no longer exists."""
    if not worker:
        return True
    parsed = parse_worker_id(worker)
    if parsed is None:
        return False
    host, pid = parsed
    return host == socket.gethostname() and not psutil.pid_exists(pid)


async def reap_orphans(db: AppDatabase, queue: JobQueue, *, own_worker: str, stale_after: dt.timedelta) -> int:
    """Running jobs of dead or silent workers → queued again (or failed when out of attempts)."""
    now = now_utc()
    taken = 0
    for job in await jobs_in_state(db, JobState.RUNNING, limit=BATCH):
        if job.worker == own_worker:
            continue
        gone = worker_process_gone(job.worker)
        silent = job.heartbeat_at is None or job.heartbeat_at < now - stale_after
        if not (gone or silent):
            continue
        why = "exited" if gone else f"sent no heartbeat for {int(stale_after.total_seconds())} s"
        if await _take_back(db, queue, job, f"worker {job.worker} {why} during attempt {job.attempts}",
                            stale_before=now + dt.timedelta(seconds=1) if gone else now - stale_after):
            taken += 1
    return taken


async def _take_back(db: AppDatabase, queue: JobQueue, job: Job, reason: str, *, stale_before: dt.datetime) -> bool:
    task = queue.new_task(job.kind, job.id)
    if not await release_orphan(db, job, task_id=task.id, reason=reason, stale_before=stale_before):
        return False
    if job.attempts >= job.max_attempts:
        log.warning("job %s (%s) failed: %s, and it had no attempts left", job.id, job.kind, reason)
        return True
    await asyncio.to_thread(queue.enqueue, task)
    log.warning("job %s (%s) re-queued: %s", job.id, job.kind, reason)
    return True


async def resend_queued(db: AppDatabase, queue: JobQueue) -> int:
    """Queued jobs whose Huey message is neither waiting nor scheduled get a new message."""
    queued = await jobs_in_state(db, JobState.QUEUED, limit=BATCH)
    if not queued:
        return 0
    known = await asyncio.to_thread(queue.message_ids)
    resent = 0
    for job in queued:
        if job.task_id is not None and job.task_id in known:
            continue
        task = queue.new_task(job.kind, job.id)
        if await reassign_queued(db, job.id, job.task_id, task.id):
            await asyncio.to_thread(queue.enqueue, task, eta=job.run_after)
            resent += 1
    if resent:
        log.warning("re-sent %d queued job(s) whose queue message was lost", resent)
    return resent


async def recover(db: AppDatabase, queue: JobQueue, *, own_worker: str, stale_after: dt.timedelta) -> dict[str, int]:
    """Startup recovery: orphaned running jobs first, then queued jobs without a message."""
    orphans = await reap_orphans(db, queue, own_worker=own_worker, stale_after=stale_after)
    resent = await resend_queued(db, queue)
    await mark_dead_here(db, host=socket.gethostname(), is_gone=lambda pid: not psutil.pid_exists(pid))
    return {"orphans": orphans, "resent": resent}
