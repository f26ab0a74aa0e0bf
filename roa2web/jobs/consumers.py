"""Which consumer processes are alive, with how many worker threads: each one reports here every heartbeat.

A dashboard in another terminal (or on another machine, with Redis) reads this table to show the
workers alive; the recovery uses the worker id (host:pid:tag) to spot dead processes. Only worker
threads (QUEUE_WORKERS) are counted, never the consumer's scheduler thread; the columns keep their
first names (`threads`, `alive_threads`).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import peewee
from peewee_async import AioModel

from roa2web.appdb import AppDatabase, Migration
from roa2web.jobs.store import aware_utc, db_time, now_utc

MIGRATIONS = (
    Migration(
        1,
        "queue consumers",
        (
            """CREATE TABLE queue_consumers (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                queue TEXT NOT NULL,
                threads INTEGER NOT NULL,
                alive_threads INTEGER NOT NULL,
                started_at TIMESTAMP NOT NULL,
                seen_at TIMESTAMP NOT NULL,
                stopped_at TIMESTAMP
            )""",
        ),
    ),
)


class ConsumerRow(AioModel):
    """A row of the `queue_consumers` table."""

    id = peewee.TextField(primary_key=True)
    host = peewee.TextField()
    pid = peewee.IntegerField()
    queue = peewee.TextField()
    workers = peewee.IntegerField(column_name="threads")
    workers_alive = peewee.IntegerField(column_name="alive_threads")
    started_at = peewee.DateTimeField()
    seen_at = peewee.DateTimeField()
    stopped_at = peewee.DateTimeField(null=True)

    class Meta:
        """The table's name."""

        table_name = "queue_consumers"


@dataclass(frozen=True)
class ConsumerInfo:
    """A consumer process as last reported."""

    id: str
    host: str
    pid: int
    queue: str
    workers: int
    workers_alive: int
    started_at: dt.datetime
    seen_at: dt.datetime
    stopped_at: dt.datetime | None


def new_worker_id() -> str:
    """host:pid:tag, unique per consumer start."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def parse_worker_id(worker: str) -> tuple[str, int] | None:
    """(host, pid) of a worker id, or None when it is not one of ours."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


async def report(db: AppDatabase, worker: str, *, queue: str, workers: int, workers_alive: int) -> None:
    """Upsert this consumer's line: its worker threads, and how many are alive (one writer per id)."""
    now = db_time(now_utc())
    updated = await (
        ConsumerRow.update(workers=workers, workers_alive=workers_alive, seen_at=now, stopped_at=None)
        .where(ConsumerRow.id == worker)
        .aio_execute(db)
    )
    if not updated:
        host_pid = parse_worker_id(worker) or (socket.gethostname(), os.getpid())
        await ConsumerRow.insert(
            id=worker,
            host=host_pid[0],
            pid=host_pid[1],
            queue=queue,
            workers=workers,
            workers_alive=workers_alive,
            started_at=now,
            seen_at=now,
        ).returning(ConsumerRow.id).aio_execute(db)


async def mark_stopped(db: AppDatabase, worker: str) -> None:
    """This consumer stopped cleanly."""
    now = db_time(now_utc())
    stopped = ConsumerRow.update(workers_alive=0, seen_at=now, stopped_at=now)
    await stopped.where(ConsumerRow.id == worker).aio_execute(db)


async def live_consumers(db: AppDatabase, *, queue: str, seen_within: dt.timedelta) -> list[ConsumerInfo]:
    """Consumers of `queue` that reported recently and did not stop."""
    cutoff = db_time(now_utc() - seen_within)
    rows = await (
        ConsumerRow.select()
        .where((ConsumerRow.queue == queue) & (ConsumerRow.seen_at >= cutoff) & ConsumerRow.stopped_at.is_null())
        .order_by(ConsumerRow.started_at)
        .aio_execute(db)
    )
    return [
        ConsumerInfo(
            id=row.id,
            host=row.host,
            pid=int(row.pid),
            queue=row.queue,
            workers=int(row.workers),
            workers_alive=int(row.workers_alive),
            started_at=aware_utc(row.started_at) or now_utc(),
            seen_at=aware_utc(row.seen_at) or now_utc(),
            stopped_at=aware_utc(row.stopped_at),
        )
        for row in rows
    ]


async def mark_dead_here(db: AppDatabase, *, host: str, is_gone: Callable[[int], bool]) -> int:
    """Consumers of this host whose process is gone (killed) stop counting as alive."""
    rows = await (
        ConsumerRow.select(ConsumerRow.id, ConsumerRow.pid)
        .where((ConsumerRow.host == host) & ConsumerRow.stopped_at.is_null())
        .aio_execute(db)
    )
    dead = [row.id for row in rows if is_gone(int(row.pid))]
    for worker in dead:
        await mark_stopped(db, worker)
    return len(dead)


async def forget_old(db: AppDatabase, *, older_than: dt.timedelta) -> int:
    """Housekeeping: drop consumer lines not seen for a long time."""
    cutoff = db_time(now_utc() - older_than)
    return int(await ConsumerRow.delete().where(ConsumerRow.seen_at < cutoff).aio_execute(db))
