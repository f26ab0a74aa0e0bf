"""Running one job in a consumer thread: claim it, call its handler, record how it ended.

State writes go to the app database on the process's event loop (`run`), so the thread blocks
only on its own work. The Huey task ends the way the job attempt did: completed, errored (so
Huey's stats count failures), or cancelled when there was nothing to do (already taken/finished).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from huey.exceptions import CancelExecution

from roa2web.appdb import AppDatabase
from roa2web.jobs import transitions
from roa2web.jobs.handlers import (
    HandlerSpec,
    JobCancelled,
    JobContext,
    JobInterrupted,
    PermanentJobError,
    TransientJobError,
    handler_for,
)
from roa2web.jobs.queue import JobQueue, JobUnknown
from roa2web.jobs.store import Job, get_job, now_utc
from roa2web.runtime import Runtime

log = logging.getLogger("roa2web.jobs.runner")
PROGRESS_MIN_INTERVAL_S = 0.2
CANCEL_CHECK_INTERVAL_S = 0.5


@dataclass
class _Tracked:
    last_progress: tuple[int, str] = (-1, "")
    last_write: float = 0.0
    last_cancel_check: float = 0.0
    cancelled: bool = False
    lost: bool = False
    started: float = field(default_factory=time.monotonic)


class JobRunner:
    """Executes jobs for one consumer (`worker` id) of one runtime."""

    def __init__(
        self,
        runtime: Runtime,
        queue: JobQueue,
        db: AppDatabase,
        worker: str,
        loop: asyncio.AbstractEventLoop,
        *,
        retry_delay_s: float,
    ) -> None:
        self.runtime = runtime
        self.queue = queue
        self.db = db
        self.worker = worker
        self.loop = loop
        self.retry_delay_s = retry_delay_s
        self._tracked: dict[str, _Tracked] = {}
        self._lock = threading.Lock()

    # --- the bridge handlers use (JobBridge)
    def run[T](self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the event loop from a consumer thread and wait for its result."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            coro.close()
            raise RuntimeError("JobContext.run() was called on the event loop itself; it is for consumer threads")
        if self.loop.is_closed():
            coro.close()
            raise RuntimeError("the event loop is closed; the process is shutting down")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def progress(self, job: Job, percent: int, message: str) -> None:
        """Persist progress; a percentage-only change within 0.2 s of the last write is skipped."""
        tracked = self._tracked.get(job.id)
        if tracked is None or tracked.lost:
            return
        now = time.monotonic()
        value = (max(0, min(100, int(percent))), message)
        if value == tracked.last_progress:
            return
        only_percent = message == tracked.last_progress[1] and value[0] < 100
        if only_percent and now - tracked.last_write < PROGRESS_MIN_INTERVAL_S:
            return
        tracked.last_progress, tracked.last_write = value, now
        if not self.run(transitions.record_progress(self.db, job.id, self.worker, value[0], message)):
            tracked.lost = True
            log.warning("job %s is no longer held by this worker; asking its handler to stop", job.id)

    def cancelled(self, job: Job) -> bool:
        """Whether the job was cancelled (or taken from this worker); checked at most twice a second."""
        tracked = self._tracked.get(job.id)
        if tracked is None:
            return True
        if tracked.cancelled or tracked.lost:
            return True
        now = time.monotonic()
        if now - tracked.last_cancel_check >= CANCEL_CHECK_INTERVAL_S:
            tracked.last_cancel_check = now
            tracked.cancelled = self.run(transitions.cancel_requested(self.db, job.id))
        return tracked.cancelled

    # --- execution
    def running_jobs(self) -> list[str]:
        """Ids of the jobs this runner's threads are executing now."""
        with self._lock:
            return list(self._tracked)

    def execute(self, kind: str, job_id: str) -> str | None:
        """The body of every job's Huey task."""
        job = self.run(transitions.claim_job(self.db, job_id, self.worker))
        if job is None:
            if self.run(get_job(self.db, job_id)) is None:
                raise JobUnknown(job_id)  # the queue logs it and leaves the message to the job's owner
            log.info("job %s (%s) is not queued any more: nothing to do", job_id, kind)
            raise CancelExecution(retry=False)
        spec = handler_for(job.kind)
        if spec is None:
            message = f"no handler for job kind {job.kind!r} in this process"
            self.run(transitions.fail_job(self.db, job.id, self.worker, message))
            raise RuntimeError(message)
        with self._lock:
            self._tracked[job.id] = _Tracked()
        log.info("job %s (%s) started, attempt %d of %d", job.id, job.kind, job.attempts, job.max_attempts)
        try:
            return self._call(spec, job)
        finally:
            with self._lock:
                self._tracked.pop(job.id, None)

    def _call(self, spec: HandlerSpec, job: Job) -> str | None:
        context = JobContext(job, self.runtime, self)
        try:
            result = spec.func(context)
        except JobCancelled:
            self.run(transitions.finish_job(self.db, job.id, self.worker, None))
            log.info("job %s (%s) stopped on cancel", job.id, job.kind)
            return None
        except JobInterrupted as exc:
            self._give_back(job, exc)
            raise
        except spec.retry_on as exc:
            self._after_transient(job, exc)
            raise
        except Exception as exc:
            self.run(transitions.fail_job(self.db, job.id, self.worker, _describe(exc), _reason(exc)))
            log.warning("job %s (%s) failed: %s", job.id, job.kind, _describe(exc))
            raise
        if self.run(transitions.finish_job(self.db, job.id, self.worker, result)):
            log.info("job %s (%s) finished (%s)", job.id, job.kind, result or "no result")
        else:
            log.warning("job %s (%s) finished here, but another worker had taken it over", job.id, job.kind)
        return result

    def _give_back(self, job: Job, exc: Exception) -> None:
        """Queue the job again, its attempt not counted, after the first retry delay.

        By then the process has stopped, or the service it needed is back.
        """
        if self._requeue(job, exc, self.retry_delay_s, counted=False):
            log.warning("job %s (%s) interrupted (%s): queued again, attempt %d not counted", job.id, job.kind,
                        _describe(exc), job.attempts)

    def _after_transient(self, job: Job, exc: Exception) -> None:
        if job.attempts >= job.max_attempts:
            error = f"{_describe(exc)} (after {job.attempts} attempts)"
            self.run(transitions.fail_job(self.db, job.id, self.worker, error, _reason(exc)))
            log.warning("job %s (%s) failed for good: %s", job.id, job.kind, error)
            return
        delay = self.retry_delay_s * 2 ** (job.attempts - 1)
        if self._requeue(job, exc, delay, counted=True):
            log.warning("job %s (%s) attempt %d failed (%s); retry in %.1f s", job.id, job.kind, job.attempts,
                        _describe(exc), delay)

    def _requeue(self, job: Job, exc: Exception, delay_s: float, *, counted: bool) -> bool:
        """Put the job back in the queue with a new message due in `delay_s`; False if it was not ours."""
        run_after = now_utc() + dt.timedelta(seconds=delay_s)
        task = self.queue.new_task(job.kind, job.id)
        requeued = self.run(transitions.requeue_job(
            self.db, job.id, self.worker, error=_describe(exc), task_id=task.id, run_after=run_after, counted=counted
        ))
        if requeued:
            self.queue.enqueue(task, eta=run_after)
        return requeued


def _reason(exc: BaseException) -> str | None:
    """What people read of a failure: the text of a handler's own job error (Romanian), else nothing.

    Any other exception is a defect whose text is for the operator only (the log, `error`).
    """
    if isinstance(exc, TransientJobError | PermanentJobError):
        return " ".join(str(exc).split()) or None
    return None


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
