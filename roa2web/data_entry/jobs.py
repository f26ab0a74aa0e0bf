"""What data entry needs from the job engine: submitting a job and reading one back."""

from __future__ import annotations

from typing import Any, Protocol

from roa2web.jobs.store import Job


class JobQueue(Protocol):
    """The job service, as OCR runs and receipt exports use it."""

    async def submit(self, kind: str, params: dict[str, Any], *, owner_id: str | None,
                     company_id: int | None) -> Job:
        """Queue a job; returns it."""
        ...

    async def get(self, job_id: str) -> Job | None:
        """A job by id, or None."""
        ...

    async def rerun(self, job_id: str, message: str) -> Job:
        """Queue a finished job again (same id, fresh attempts); a Conflict problem unless it is finished."""
        ...
