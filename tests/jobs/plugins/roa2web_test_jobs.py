"""Test-only job kinds (imported through QUEUE_HANDLER_MODULES; never part of the product).

The slowness is real and controlled by the job's parameters; every run appends a line to
`params["marker"]` so tests can count how often a handler really ran.
"""

from __future__ import annotations

import time
from pathlib import Path

from roa2web.jobs import JobContext, JobInterrupted, PermanentJobError, TransientJobError, job_handler


def _mark(ctx: JobContext, event: str) -> None:
    marker = ctx.params.get("marker")
    if marker:
        with Path(marker).open("a", encoding="utf-8") as handle:
            handle.write(f"{ctx.job.id} {ctx.job.attempts} {event}\n")


@job_handler("test_steps")
def steps(ctx: JobContext) -> str | None:
    """`steps` steps of `step_s` seconds, progress after each; stops early when cancelled."""
    _mark(ctx, "start")
    count = int(ctx.params.get("steps", 3))
    for index in range(count):
        time.sleep(float(ctx.params.get("step_s", 0.05)))
        ctx.progress(int((index + 1) * 100 / count), f"Pasul {index + 1} din {count}")
        ctx.raise_if_cancelled()
    _mark(ctx, "end")
    return f"steps:{ctx.job.id}"


@job_handler("test_flaky", max_attempts=3)
def flaky(ctx: JobContext) -> str | None:
    """Fails with a transient error until attempt `succeed_on` (never, by default)."""
    _mark(ctx, "start")
    if ctx.job.attempts < int(ctx.params.get("succeed_on", 99)):
        raise TransientJobError(f"ledger busy (attempt {ctx.job.attempts})")
    return "flaky:ok"


@job_handler("test_broken")
def broken(ctx: JobContext) -> str | None:
    """Fails for good: a PermanentJobError, or any other exception with `crash`."""
    _mark(ctx, "start")
    if ctx.params.get("crash"):
        raise ZeroDivisionError("division by zero in a handler")
    raise PermanentJobError("raportul cerut nu există")


@job_handler("test_interrupted", max_attempts=1)
def interrupted(ctx: JobContext) -> str | None:
    """Interrupted (as by a shutdown) on its first `interruptions` runs, then done; one attempt allowed."""
    _mark(ctx, "start")
    marker = Path(ctx.params["marker"])
    if len(marker.read_text(encoding="utf-8").splitlines()) <= int(ctx.params.get("interruptions", 1)):
        raise JobInterrupted("the OCR service is closed")
    return "interrupted:ok"
