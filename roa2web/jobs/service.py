"""`JobService` (`runtime.jobs`): submit, read, retry and cancel jobs from async code.

The job row is written first and its Huey message enqueued after (off the event loop: enqueue is a
blocking SQLite or Redis call); if the enqueue fails the job is marked failed rather than left
waiting for a message that will never come.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Literal

import peewee

from roa2web.appdb import AppDatabase
from roa2web.jobs import dashboard, store, transitions
from roa2web.jobs.handlers import handler_for
from roa2web.jobs.queries import purge_jobs
from roa2web.jobs.queue import JobQueue
from roa2web.jobs.store import STATE_LABELS, Job, JobState
from roa2web.problems import Conflict, NotFound, Problem, ServiceUnavailable
from roa2web.settings import Settings

log = logging.getLogger("roa2web.jobs.service")


class JobError(Problem):
    """Base of the job service's errors."""


class UnknownJobKind(JobError):
    """No handler is registered for this kind (a 500: the process was built without the module)."""

    kind = "unknown-job-kind"
    public_detail = "Serverul nu poate rula acest tip de lucrare."


class JobNotFound(JobError, NotFound):
    """No job has this id (or the caller may not see it)."""

    kind = "job-not-found"

    def __init__(self, job_id: str) -> None:
        """No job `job_id`; the detail is for people, `job_id` for a door that words it otherwise."""
        super().__init__(f"Nu există lucrarea {job_id}.")
        self.job_id = job_id


JobAction = Literal["retry", "cancel", "rerun"]
ALLOWED_STATES: dict[JobAction, tuple[JobState, ...]] = {
    "retry": (JobState.FAILED, JobState.CANCELLED),
    "cancel": (JobState.QUEUED, JobState.RUNNING),
    "rerun": (JobState.DONE, JobState.FAILED, JobState.CANCELLED),
}
_ACTION_WORDING: dict[JobAction, tuple[str, str]] = {  # (the verb, the jobs it applies to)
    "retry": ("relua", "lucrările eșuate sau anulate"),
    "cancel": ("anula", "lucrările în așteptare sau în lucru"),
    "rerun": ("reface", "lucrările încheiate"),
}


class JobStateError(JobError, Conflict):
    """The job is not in a state that allows this `action`; `job_id` and `state` say where it is."""

    kind = "job-state"

    def __init__(self, job_id: str, state: JobState, action: JobAction) -> None:
        """Job `job_id` is `state`, so it cannot be `action`-ed (its detail says so in Romanian)."""
        verb, jobs = _ACTION_WORDING[action]
        super().__init__(f"Lucrarea {job_id} este {STATE_LABELS[state]}; se pot {verb} doar {jobs}.")
        self.job_id = job_id
        self.state = state
        self.action = action


class QueueUnavailable(JobError, ServiceUnavailable):
    """The queue backend did not take the message (its error, with hosts, goes to the log only)."""

    kind = "queue-unavailable"
    title = "Coada de lucrări indisponibilă"
    public_detail = ("Coada de lucrări nu este disponibilă, așa că lucrarea nu a fost primită; "
                     "încercați din nou în curând.")


class JobService:
    """Jobs over one app database and one queue."""

    def __init__(self, db: AppDatabase, queue: JobQueue, settings: Settings, stats_db: peewee.Database) -> None:
        self.db = db
        self.queue = queue
        self.settings = settings
        self.stats_db = stats_db

    async def submit(
        self, kind: str, params: dict[str, Any], *, owner_id: str | None = None, company_id: int | None = None
    ) -> Job:
        """Record a queued job, then enqueue its message; returns the job as recorded."""
        spec = handler_for(kind)
        if spec is None:
            raise UnknownJobKind(f"no handler for job kind {kind!r}")
        job_id = store.new_job_id()
        task = self.queue.new_task(kind, job_id)
        job = await store.insert_job(
            self.db,
            kind=kind,
            params=params,
            owner_id=owner_id,
            company_id=company_id,
            max_attempts=spec.max_attempts or self.settings.queue_max_attempts,
            task_id=task.id,
            job_id=job_id,
        )
        await self._enqueue(job, task)
        return job

    async def _enqueue(self, job: Job, task: Any) -> None:
        try:
            await asyncio.to_thread(self.queue.enqueue, task)
        except Exception as exc:
            log.error("could not enqueue job %s (%s): %s", job.id, job.kind, exc)
            await transitions.abandon_queued(self.db, job.id, f"the queue did not accept the job: {exc}")
            raise QueueUnavailable(f"the queue backend is unavailable: {exc}") from exc

    async def get(self, job_id: str) -> Job | None:
        """The job, or None."""
        return await store.get_job(self.db, job_id)

    async def list(
        self,
        *,
        state: JobState | str | None = None,
        kind: str | None = None,
        owner_id: str | None = None,
        limit: int = 50,
    ) -> list[Job]:
        """Jobs, newest first."""
        states = (JobState(state),) if state else ()
        return await store.list_jobs(self.db, states=states, kind=kind, owner_id=owner_id, limit=limit)

    async def _require(self, job_id: str) -> Job:
        job = await self.get(job_id)
        if job is None:
            raise JobNotFound(job_id)
        return job

    async def retry(self, job_id: str) -> Job:
        """Run a failed or cancelled job again, with a fresh set of attempts; returns the job as re-queued.

        Read before the message is enqueued: a consumer may start it at once, and the caller is told
        what retrying did (queued), not a state it may have moved on from.
        """
        return await self._requeue(job_id, "retry", "Repornit la cerere")

    async def rerun(self, job_id: str, message: str) -> Job:
        """Run a finished job (done too) again under its id, with a fresh set of attempts; `message` says why.

        For a module whose job's output can be made again (a receipt export whose files expired).
        """
        return await self._requeue(job_id, "rerun", message)

    async def _requeue(self, job_id: str, action: JobAction, message: str) -> Job:
        job = await self._require(job_id)
        task = self.queue.new_task(job.kind, job.id)
        if not await transitions.reset_job(self.db, job.id, task.id, states=ALLOWED_STATES[action], message=message):
            current = await self._require(job_id)
            raise JobStateError(job_id, current.state, action)
        queued = await self._require(job_id)
        await self._enqueue(job, task)
        return queued

    async def cancel(self, job_id: str) -> Job:
        """Cancel a queued job (its message is revoked) or ask a running one to stop."""
        job = await self._require(job_id)
        if await transitions.cancel_queued(self.db, job.id):
            if job.task_id:
                try:
                    await asyncio.to_thread(self.queue.revoke, job.task_id)
                except Exception as exc:  # the claim refuses a cancelled job anyway
                    log.warning("could not revoke the message of job %s: %s", job.id, exc)
        elif not await transitions.request_cancel(self.db, job.id):
            current = await self._require(job_id)
            raise JobStateError(job_id, current.state, "cancel")
        return await self._require(job_id)

    async def purge(self, *, states: tuple[JobState, ...], older_than: dt.timedelta) -> int:
        """Delete finished jobs in `states` older than `older_than`."""
        return await purge_jobs(self.db, states=states, older_than=older_than)

    async def summary(self) -> dict[str, Any]:
        """The dashboard figures (see `roa2web.jobs.dashboard.snapshot`)."""
        return await dashboard.snapshot(
            self.db, self.queue, self.stats_db, stale_after_s=self.settings.queue_stale_after_s
        )
