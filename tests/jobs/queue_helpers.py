"""Helpers for queue tests: wait for a job, count handler runs, reach an app's services."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from quart import Quart

from roa2web.jobs.service import JobService
from roa2web.jobs.store import Job, JobState

PLUGINS = Path(__file__).resolve().parent / "plugins"


async def queue_ready(app: Quart, timeout_s: float = 120) -> None:
    """Wait until the queue part (it starts in the background) has started its consumer."""
    runtime = app.extensions["roa2web"]
    if not runtime.settings.queue_in_process:
        return
    deadline = time.monotonic() + timeout_s
    while runtime.queue_part.consumer is None or runtime.queue_part._maintenance is None:
        assert time.monotonic() < deadline, "the queue consumer did not start"
        await asyncio.sleep(0.01)


def jobs_of(app: Quart) -> JobService:
    """The app's JobService."""
    service: JobService = app.extensions["roa2web"].jobs
    return service


async def wait_for(
    service: JobService, job_id: str, *states: JobState, timeout_s: float = 120, seen: list[Job] | None = None
) -> Job:
    """Poll until the job is in one of `states` (default: finished); every observation goes to `seen`."""
    wanted = set(states) or {JobState.DONE, JobState.FAILED, JobState.CANCELLED}
    deadline = time.monotonic() + timeout_s
    while True:
        job = await service.get(job_id)
        assert job is not None
        if seen is not None:
            seen.append(job)
        if job.state in wanted:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.state} after {timeout_s} s: {job}")
        await asyncio.sleep(0.02)


async def stats_flushed(service: JobService, finished: dict[str, int], timeout_s: float = 120) -> dict[str, Any]:
    """The dashboard figures once Huey's stats (flushed every 0.5 s) count `finished` runs per task."""
    deadline = time.monotonic() + timeout_s
    while True:
        figures = await service.summary()
        counted = {row["task"]: row["completed"] + row["errors"] for row in figures["tasks"]}
        if all(counted.get(task, 0) >= runs for task, runs in finished.items()):
            return figures
        assert time.monotonic() < deadline, f"Huey's stats still count {counted} after {timeout_s} s"
        await asyncio.sleep(0.1)


def marker_lines(path: Path) -> list[str]:
    """Lines a test handler appended (one per event)."""
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
