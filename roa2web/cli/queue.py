"""`roa2web queue …`: the queue from a terminal (dashboard, list, show, retry, cancel, purge).

It reads and writes only shared state (queue backend and app database), so it works from a
second terminal while the server runs, and against Redis from any machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
from rich.console import Console
from rich.live import Live

from roa2web.aio import run_async
from roa2web.cli.queue_view import render_dashboard, render_job, render_jobs
from roa2web.databases import database_parts
from roa2web.jobs.queue import JobQueue
from roa2web.jobs.service import ALLOWED_STATES, JobError, JobNotFound, JobService, JobStateError
from roa2web.jobs.stats import stats_database
from roa2web.jobs.store import FINISHED, JobState
from roa2web.settings import Settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_duration(text: str) -> dt.timedelta:
    """'7d', '12h', '30m', '45s', '2w' → timedelta."""
    match = _DURATION.match(text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 7d, 12h, 30m)")
    return dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


@contextlib.asynccontextmanager
async def open_jobs(settings: Settings) -> AsyncIterator[JobService]:
    """A JobService on the configured app database and queue, without starting a consumer."""
    app_db = database_parts(settings)["app_db"]
    await app_db.start()
    queue = JobQueue(settings)
    try:
        yield JobService(app_db.db, queue, settings, stats_database(settings))
    finally:
        await app_db.stop()
        await asyncio.to_thread(queue.close)


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()


async def _dashboard(service: JobService, args: argparse.Namespace) -> int:
    console = _console()
    if args.once:
        snapshot = await service.summary()
        if args.json:
            print(_json(snapshot))
        else:
            console.print(render_dashboard(snapshot))
        return 0
    with Live(render_dashboard(await service.summary()), console=console, refresh_per_second=4,
              screen=False) as live:
        while True:
            await asyncio.sleep(args.interval)
            live.update(render_dashboard(await service.summary()))


async def _list(service: JobService, args: argparse.Namespace) -> int:
    jobs = await service.list(state=args.state, kind=args.kind, limit=args.limit)
    if args.json:
        print(_json([job.to_dict() for job in jobs]))
    else:
        _console().print(render_jobs(jobs))
    return 0


async def _show(service: JobService, args: argparse.Namespace) -> int:
    job = await service.get(args.job_id)
    if job is None:
        print(f"no job {args.job_id}", file=sys.stderr)
        return 1
    if args.json:
        print(_json(job.to_dict()))
    else:
        _console().print(render_job(job))
    return 0


async def _retry(service: JobService, args: argparse.Namespace) -> int:
    job = await service.retry(args.job_id)
    print(f"job {job.id} ({job.kind}) is {job.state} again")
    return 0


async def _cancel(service: JobService, args: argparse.Namespace) -> int:
    job = await service.cancel(args.job_id)
    outcome = "cancelled" if job.state == JobState.CANCELLED else "asked to stop (it is running)"
    print(f"job {job.id} ({job.kind}) {outcome}")
    return 0


async def _purge(service: JobService, args: argparse.Namespace) -> int:
    states = tuple(JobState(state) for state in (args.state or ["failed"]))
    removed = await service.purge(states=states, older_than=args.older_than)
    print(f"purged {removed} job(s) ({', '.join(states)}) finished more than {args.older_than} ago")
    return 0


def _in_english(error: JobError) -> str:
    """What went wrong, for the operator (the problem's own detail is Romanian, for the firm's people)."""
    if isinstance(error, JobNotFound):
        return f"no job {error.job_id}"
    if isinstance(error, JobStateError):
        allowed = " or ".join(ALLOWED_STATES[error.action])
        done = "retried" if error.action == "retry" else "cancelled"
        return f"job {error.job_id} is {error.state}; only {allowed} jobs can be {done}"
    return str(error)  # the others keep English messages and show people a public detail


def _runner(command: Callable[[JobService, argparse.Namespace], Awaitable[int]]) -> Callable[..., int]:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        async def main() -> int:
            async with open_jobs(settings) as service:
                return await command(service, args)

        try:
            return run_async(main())
        except JobError as exc:
            print(_in_english(exc), file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0

    return handler


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `queue dashboard|list|show|retry|cancel|purge`."""
    queue = subparsers.add_parser("queue", help="the task queue: dashboard, jobs, retry, cancel, purge")
    commands = queue.add_subparsers(dest="queue_command", metavar="COMMAND")

    dashboard = commands.add_parser("dashboard", help="live view of the queue (refreshes every second)")
    dashboard.add_argument("--once", action="store_true", help="print one snapshot and exit")
    dashboard.add_argument("--json", action="store_true", help="with --once: the snapshot as JSON")
    dashboard.add_argument("--interval", type=float, default=1.0, help="seconds between refreshes")
    dashboard.set_defaults(handler=_runner(_dashboard))

    listing = commands.add_parser("list", help="jobs, newest first")
    listing.add_argument("--state", choices=[str(state) for state in JobState])
    listing.add_argument("--kind")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_runner(_list))

    show = commands.add_parser("show", help="one job, every field")
    show.add_argument("job_id", metavar="JOB")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_runner(_show))

    retry = commands.add_parser("retry", help="run a failed or cancelled job again")
    retry.add_argument("job_id", metavar="JOB")
    retry.set_defaults(handler=_runner(_retry))

    cancel = commands.add_parser("cancel", help="cancel a queued job (revoked) or ask a running one to stop")
    cancel.add_argument("job_id", metavar="JOB")
    cancel.set_defaults(handler=_runner(_cancel))

    purge = commands.add_parser("purge", help="delete finished jobs older than a while")
    purge.add_argument("--state", action="append", choices=sorted(str(state) for state in FINISHED),
                       help="repeatable; default failed")
    purge.add_argument("--older-than", type=parse_duration, default=parse_duration("7d"), help="e.g. 7d, 12h")
    purge.set_defaults(handler=_runner(_purge))
