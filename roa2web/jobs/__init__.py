"""Background work: jobs (the truth), Huey (the carrier), the in-process consumer and its handlers.

A module runs work in the background by registering a handler at import time::

    from roa2web.jobs import JobContext, job_handler

    @job_handler("ocr")
    def run_ocr(ctx: JobContext) -> str | None: ...

and submitting jobs with `runtime.jobs.submit("ocr", params, owner_id=..., company_id=...)`.
"""

from roa2web.jobs.handlers import (
    JobCancelled,
    JobContext,
    JobInterrupted,
    PermanentJobError,
    TransientJobError,
    job_handler,
)
from roa2web.jobs.store import Job, JobState

__all__ = [
    "Job",
    "JobCancelled",
    "JobContext",
    "JobInterrupted",
    "JobState",
    "PermanentJobError",
    "TransientJobError",
    "job_handler",
]
