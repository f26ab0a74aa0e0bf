"""Housekeeping: a periodic Huey task that every consumer runs every 15 minutes.

It runs the engine's own steps (old Huey results, old consumer lines) and the steps the task doors
register with `@housekeeping("name")` (roa2web.tasks.periodic, roa2web.tasks.exports).

Each step is `async def step(runtime) -> int` (how many things it removed, or stored); it runs on the event
loop, so blocking work inside it goes through `asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from huey import crontab

from roa2web.jobs import consumers
from roa2web.jobs.queue import JobQueue
from roa2web.runtime import Runtime

log = logging.getLogger("roa2web.jobs.housekeeping")
Step = Callable[[Runtime], Awaitable[int]]
_STEPS: dict[str, Step] = {}
HOUSEKEEPING_EVERY_MINUTES = 15


def housekeeping(name: str) -> Callable[[Step], Step]:
    """Register a housekeeping step (runs every 15 minutes in some consumer)."""

    def decorator(step: Step) -> Step:
        _STEPS[name] = step
        return step

    return decorator


@housekeeping("queue_results")
async def _expired_results(runtime: Runtime) -> int:
    return await asyncio.to_thread(runtime.queue.expire_results)


@housekeeping("queue_consumers")
async def _old_consumer_lines(runtime: Runtime) -> int:
    return await consumers.forget_old(runtime.app_db, older_than=dt.timedelta(days=7))


async def run_housekeeping(runtime: Runtime) -> dict[str, int]:
    """Run every step; one failing step does not stop the others. Returns what each removed."""
    removed: dict[str, int] = {}
    for name, step in list(_STEPS.items()):
        try:
            removed[name] = await step(runtime)
        except Exception:
            log.exception("housekeeping step %s failed", name)
            removed[name] = -1
    if any(count > 0 for count in removed.values()):
        log.info("housekeeping: %s", ", ".join(f"{name}={count}" for name, count in removed.items() if count))
    return removed


def register_periodic_tasks(queue: JobQueue, run: Callable[[Coroutine[Any, Any, Any]], Any], runtime: Runtime) -> None:
    """Put the housekeeping task on this queue's Huey (consumers only; idempotent per queue)."""
    if "roa2web.periodic.housekeeping" in queue.huey._registry._registry:
        return

    def housekeeping_task() -> None:
        run(run_housekeeping(runtime))

    housekeeping_task.__module__ = "roa2web.periodic"
    queue.huey.periodic_task(crontab(minute=f"*/{HOUSEKEEPING_EVERY_MINUTES}"), name="housekeeping")(
        housekeeping_task
    )
