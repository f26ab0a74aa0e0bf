"""The queue as a runtime part.

Recovery and the in-process consumer at startup, a graceful stop, a heartbeat for the jobs this
process runs, and the "queue" entry of /health.

It starts in the background, after the app database is migrated; the app is ready without it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from roa2web.jobs import consumers, recovery, stats, transitions
from roa2web.jobs.consumer import InProcessConsumer, build_consumer
from roa2web.jobs.handlers import registered_kinds
from roa2web.jobs.housekeeping import register_periodic_tasks
from roa2web.jobs.queries import oldest_queued, state_counts
from roa2web.jobs.runner import JobRunner
from roa2web.jobs.service import JobService
from roa2web.jobs.store import JobState, get_job, now_utc
from roa2web.problems import disk_full
from roa2web.runtime import Runtime

log = logging.getLogger("roa2web.jobs")
EXTERNAL_CONSUMER = "external (QUEUE_IN_PROCESS=false)"  # who consumes the queue when the server does not


class QueuePart:
    """Owns this process's consumer (when QUEUE_IN_PROCESS) and reports the queue's health."""

    def __init__(self, runtime: Runtime, service: JobService) -> None:
        self.runtime = runtime
        self.service = service
        self.queue = service.queue
        self.db = service.db
        self.settings = runtime.settings
        self.worker: str | None = None
        self.runner: JobRunner | None = None
        self.consumer: InProcessConsumer | None = None
        self._starting: asyncio.Future[None] | None = None
        self._maintenance: asyncio.Task[None] | None = None
        self.recovered: dict[str, int] = {}
        self.start_error: str | None = None

    @property
    def stale_after(self) -> dt.timedelta:
        """How long a running job may go without a heartbeat."""
        return dt.timedelta(seconds=self.settings.queue_stale_after_s)

    async def start(self) -> None:
        """Recover orphaned jobs, then start worker threads and the scheduler (unless switched off)."""
        try:
            await self._start()
        except Exception as exc:
            self.start_error = str(exc) or type(exc).__name__
            raise

    async def _start(self) -> None:
        if not self.settings.queue_in_process:
            log.info("queue consumer not started here (QUEUE_IN_PROCESS=false); run `roa2web worker`")
            return
        self.worker = consumers.new_worker_id()
        self.runner = JobRunner(
            self.runtime, self.queue, self.db, self.worker, asyncio.get_running_loop(),
            retry_delay_s=self.settings.queue_retry_delay_s,
        )
        self.queue.bind_executor(self.runner.execute)
        for kind in registered_kinds():
            self.queue.task_for(kind)
        register_periodic_tasks(self.queue, self.runner.run, self.runtime)
        await asyncio.to_thread(stats.enable, self.queue.huey, self.service.stats_db)
        self.recovered = await recovery.recover(self.db, self.queue, own_worker=self.worker,
                                                stale_after=self.stale_after)
        consumer = build_consumer(self.queue.huey, self.settings)
        self.consumer = consumer
        self._starting = asyncio.ensure_future(asyncio.to_thread(consumer.start))
        await asyncio.shield(self._starting)
        self.queue.on_enqueue(consumer.wake)
        await self._report()
        self._maintenance = asyncio.create_task(self._maintain())
        log.info("queue consumer %s: %d thread workers on %s queue %r (recovered %s)", self.worker,
                 self.settings.queue_workers, self.settings.queue_backend, self.settings.queue_name, self.recovered)

    async def _report(self) -> None:
        if self.worker and self.consumer:
            await consumers.report(self.db, self.worker, queue=self.settings.queue_name,
                                   workers=self.consumer.worker_count, workers_alive=self.consumer.workers_alive())

    async def _maintain(self) -> None:
        """Every QUEUE_HEARTBEAT_S: heartbeat our jobs, report our threads, take back orphans."""
        assert self.worker is not None and self.consumer is not None
        while True:
            await asyncio.sleep(self.settings.queue_heartbeat_s)
            try:
                await transitions.heartbeat(self.db, self.worker)
                await asyncio.to_thread(self.consumer.check_worker_health)
                await self._report()
                await recovery.reap_orphans(self.db, self.queue, own_worker=self.worker, stale_after=self.stale_after)
            except Exception as exc:
                if disk_full(exc):  # the operator's to fix, not a defect: one line each time, no traceback
                    log.error("queue maintenance failed, disk full (%s); trying again in %.0f s", exc,
                              self.settings.queue_heartbeat_s)
                    continue
                log.exception("queue maintenance failed; trying again in %.0f s", self.settings.queue_heartbeat_s)

    async def stop(self) -> None:
        """Let running tasks finish (within QUEUE_SHUTDOWN_TIMEOUT_S), then let go of anything left."""
        if self._maintenance is not None:
            self._maintenance.cancel()
        consumer = self.consumer
        if consumer is not None:
            if self._starting is not None:
                await self._starting
            self.queue.remove_listener(consumer.wake)
            log.info("stopping the queue consumer (up to %.0f s for running tasks)",
                     self.settings.queue_shutdown_timeout_s)
            await asyncio.to_thread(consumer.stop, True)
            self.queue.huey.notify_interrupted_tasks()
            await self._release_leftovers()
            if self.worker:
                await consumers.mark_stopped(self.db, self.worker)
            await asyncio.to_thread(stats.disable, self.queue.huey)
        self.queue.bind_executor(None)
        await asyncio.to_thread(self.queue.close)

    async def _release_leftovers(self) -> None:
        """Jobs still running after the timeout go back to the queue for the next process."""
        if self.runner is None:
            return
        for job_id in self.runner.running_jobs():
            job = await get_job(self.db, job_id)
            if job is None or job.state != JobState.RUNNING or job.worker != self.worker:
                continue
            task = self.queue.new_task(job.kind, job.id)
            released = await transitions.release_orphan(
                self.db, job, task_id=task.id, reason="the process stopped before the job finished",
                stale_before=now_utc() + dt.timedelta(days=1),
            )
            if released and job.attempts < job.max_attempts:
                await asyncio.to_thread(self.queue.enqueue, task)
            log.warning("job %s (%s) did not finish before shutdown; handed back to the queue", job.id, job.kind)

    async def health(self) -> dict[str, Any]:
        """Backend reachable, depth, running count, workers (busy, alive, configured), oldest queued age."""
        info: dict[str, Any] = {"backend": self.settings.queue_backend, "queue": self.settings.queue_name}
        try:
            counts = await asyncio.to_thread(self.queue.counts)
            info.update(reachable=True, depth=counts["pending"], scheduled=counts["scheduled"])
        except Exception as exc:
            return {**info, "status": "down", "reachable": False, "error": str(exc) or type(exc).__name__}
        jobs = await state_counts(self.db)
        oldest = await oldest_queued(self.db)
        info.update(
            queued=jobs[JobState.QUEUED], running=jobs[JobState.RUNNING], failed=jobs[JobState.FAILED],
            oldest_queued_age_s=round((now_utc() - oldest).total_seconds(), 1) if oldest else None,
        )
        status = "ok"
        if not self.settings.queue_in_process:
            live = await consumers.live_consumers(self.db, queue=self.settings.queue_name, seen_within=self.stale_after)
            info.update(consumer=EXTERNAL_CONSUMER, workers_alive=sum(c.workers_alive for c in live))
            if not live and jobs[JobState.QUEUED]:
                status = "degraded"
        elif self.start_error is not None:
            info.update(consumer="failed to start", error=self.start_error)
            status = "degraded"
        elif self.consumer is None:
            info["consumer"] = "starting"  # accepted jobs wait in the queue meanwhile: not a degradation
        else:
            alive, total = self.consumer.workers_alive(), self.consumer.worker_count
            busy = len(self.runner.running_jobs()) if self.runner else 0
            scheduler_alive = self.consumer.scheduler_alive()
            info.update(consumer="in-process", workers=total, workers_alive=alive, workers_busy=busy,
                        scheduler_alive=scheduler_alive)
            if alive < total or not scheduler_alive:
                status = "degraded"
        return {"status": status, **info}
