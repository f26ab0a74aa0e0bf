"""`roa2web worker`: a standalone queue consumer (Redis scale-out, or OCR outside the web process).

It builds the same services as the server (`build_runtime`, no HTTP) and consumes with thread
workers. SIGINT, SIGTERM (and CTRL_BREAK on Windows) stop it gracefully: running tasks finish
within QUEUE_SHUTDOWN_TIMEOUT_S; a second signal exits at once (the jobs are recovered later).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from roa2web.aio import run_async
from roa2web.backup.in_use import DataDirInUse, running_on
from roa2web.backup.schedule import install_daily_backup
from roa2web.jobs.instances import InstanceRefused, join
from roa2web.logs import configure_logging
from roa2web.settings import Settings
from roa2web.stop_signals import ShutdownRequest

log = logging.getLogger("roa2web.jobs.worker")
STARTUP_TIMEOUT_S = 60.0


async def run_worker(settings: Settings) -> int:
    """Start every service with an in-process consumer, wait for a stop signal, stop gracefully."""
    with running_on(settings.data_dir):  # DataDirInUse while a restore works on it; tells a restore we run
        return await _run_worker_on_data_dir(settings)


async def _run_worker_on_data_dir(settings: Settings) -> int:
    from roa2web.app import build_runtime

    member = await join(settings, "worker")  # raises InstanceRefused before anything starts
    runtime = build_runtime(settings)
    install_daily_backup(runtime)
    if runtime.services.instances is not None:
        runtime.services.instances.adopt(member)
    shutdown = ShutdownRequest(asyncio.get_running_loop(), second_exits=True)
    shutdown.install()
    try:
        await runtime.start()
        await runtime.wait_background(STARTUP_TIMEOUT_S)
        part = runtime.queue_part
        if part.consumer is None:
            log.error("the queue consumer did not start; see the errors above")
            return 1
        log.info("worker %s consuming %s queue %r with %d threads", part.worker, settings.queue_backend,
                 settings.queue_name, settings.queue_workers)
        await shutdown.wait()
    finally:
        await runtime.stop()
        log.info("worker stopped")
    return 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    updates: dict[str, Any] = {"queue_in_process": True}
    if args.threads:
        updates["queue_workers"] = args.threads
    settings = settings.model_copy(update=updates)
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    try:
        return run_async(run_worker(settings))
    except (InstanceRefused, DataDirInUse) as exc:
        print(f"roa2web worker: refusing to start: {exc}", file=sys.stderr)
        return 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `worker`."""
    parser = subparsers.add_parser("worker", help="consume the task queue in this process (no HTTP)")
    parser.add_argument("--threads", type=int, help="override QUEUE_WORKERS")
    parser.set_defaults(handler=_worker)
