"""`huey.contrib.stats` in every consumer process, and the figures the dashboard reads from it.

The stats tables (`huey_event`, `huey_inflight`) live in the queue's own SQLite file with the
SQLite backend, and in the app database with Redis (so every machine's workers write to one place).
`huey.contrib.stats` binds its models to one module-level proxy, so a process has one stats
database at a time: `enable` points it at this queue's.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlparse

import peewee
from huey import Huey
from huey import signals as S
from huey.contrib import stats as huey_stats

from roa2web.appdb.database import advisory_lock_number
from roa2web.jobs.queue import queue_path
from roa2web.problems import disk_full
from roa2web.settings import Settings

_PROXY_LOCK = threading.Lock()
RETENTION_HOURS = 48
MAX_EVENTS = 50_000


def sync_database(url: str) -> peewee.Database:
    """A plain (blocking) peewee database for an app-database URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else unquote(parsed.path)
        return peewee.SqliteDatabase(path, pragmas={"journal_mode": "wal", "busy_timeout": 30_000})
    if parsed.scheme in {"postgresql", "postgres"}:
        return peewee.PostgresqlDatabase(
            parsed.path.lstrip("/") or "postgres",
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password) if parsed.password else None,
        )
    raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}")


def stats_database(settings: Settings) -> peewee.Database:
    """Where this configuration keeps Huey's stats tables."""
    if settings.queue_backend == "sqlite":
        Path(queue_path(settings)).parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(queue_path(settings), pragmas={"journal_mode": "wal", "busy_timeout": 30_000})
    return sync_database(settings.app_database_url)


def create_tables(db: peewee.Database) -> None:
    """The stats tables, if missing; several processes starting at once on PostgreSQL take turns.

    Two concurrent `CREATE TABLE IF NOT EXISTS` of a table with a serial column can both pass the
    check, and the second fails creating the sequence ("huey_event_id_seq already exists"): an
    advisory lock held for the transaction makes them run one after the other.
    """
    was_closed = db.is_closed()
    with db.atomic():
        if isinstance(db, peewee.PostgresqlDatabase):
            key = advisory_lock_number("roa2web.jobs.stats")
            cast(Any, db).execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))
        for model in huey_stats.MODELS:  # on `db` itself: the models' own database is a shared proxy
            peewee.SchemaManager(model, database=db).create_all(safe=True)
    if was_closed:
        db.close()


class _DiskFullInOneLine(logging.Filter):
    """A stats flush that failed because the disk is full: one line, no traceback (the operator's to fix)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and disk_full(error):
            record.msg, record.args = f"{record.getMessage()} Disk full ({error}).", ()
            record.exc_info, record.exc_text = None, None
        return True


_DISK_FULL_FILTER = _DiskFullInOneLine()


def enable(huey: Huey, db: peewee.Database) -> huey_stats.HueyStats:
    """Record this Huey's signals into `db` (a consumer process calls this before starting)."""
    huey_stats.logger.addFilter(_DISK_FULL_FILTER)  # a filter is added once, however often this runs
    with _PROXY_LOCK:
        huey_stats.database.initialize(db)
        create_tables(db)
        recorder = huey_stats.HueyStats(
            huey, db, retention_hours=RETENTION_HOURS, max_events=MAX_EVENTS, create_tables=False
        )
        huey._stats = recorder  # where huey's enable_stats keeps it
        recorder.connect()
    return recorder


def disable(huey: Huey) -> None:
    """Flush and stop recording (consumer shutdown)."""
    recorder: huey_stats.HueyStats | None = getattr(huey, "_stats", None)
    if recorder is None:
        return
    recorder.close()
    huey.disconnect_signal(recorder._on_signal)
    huey._stats = None


def reader(huey: Huey, db: peewee.Database) -> huey_stats.HueyStats:
    """A HueyStats that only reads (dashboards in another process, or the API)."""
    with _PROXY_LOCK:
        if huey_stats.database.obj is None or getattr(huey, "_stats", None) is None:
            huey_stats.database.initialize(db)
        existing: huey_stats.HueyStats | None = getattr(huey, "_stats", None)
        if existing is not None:
            return existing
        create_tables(db)
        return huey_stats.HueyStats(huey, db, create_tables=False)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def task_breakdown(recorder: huey_stats.HueyStats, *, window_s: float = 86_400) -> list[dict[str, Any]]:
    """Per task: executed, completed, errors, retries, mean and p95 duration (seconds) in the window."""
    event = huey_stats.HueyEvent
    since = time.time() - window_s
    rows = (
        event.select(event.task, event.signal, event.duration)
        .where((event.queue == recorder.name) & (event.ts > since))
        .tuples()
    )
    figures: dict[str, dict[str, Any]] = {}
    for task, signal, duration in rows:
        entry = figures.setdefault(
            task.rsplit(".", 1)[-1],
            {"executed": 0, "completed": 0, "errors": 0, "retries": 0, "durations": []},
        )
        if signal == S.SIGNAL_EXECUTING:
            entry["executed"] += 1
        elif signal == S.SIGNAL_COMPLETE:
            entry["completed"] += 1
            if duration is not None:
                entry["durations"].append(float(duration))
        elif signal == S.SIGNAL_ERROR:
            entry["errors"] += 1
        elif signal == S.SIGNAL_RETRYING:
            entry["retries"] += 1
    out = []
    for task, entry in sorted(figures.items()):
        durations = entry.pop("durations")
        entry["mean_s"] = sum(durations) / len(durations) if durations else None
        entry["p95_s"] = _percentile(durations, 0.95)
        out.append({"task": task, **entry})
    return out


def throughput(recorder: huey_stats.HueyStats, *, minutes: int = 10) -> list[dict[str, int]]:
    """Completed and errored Huey tasks per minute, oldest minute first."""
    figures = recorder.throughput(minutes)
    return [
        {"minutes_ago": minutes - 1 - index, "completed": completed, "errors": errors}
        for index, (completed, errors) in enumerate(zip(figures["complete"], figures["error"], strict=True))
    ]


def inflight(recorder: huey_stats.HueyStats) -> list[dict[str, Any]]:
    """Huey tasks executing right now (as flushed by their consumers, ~0.5 s behind)."""
    rows = recorder.inflight()
    return [{"task": row["task"], "started": row["started"], "elapsed_s": row["elapsed"]} for row in rows]
