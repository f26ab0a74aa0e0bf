"""The Huey queue from settings, and the one Huey task per job kind that carries "run job X".

Every call here blocks (SQLite or Redis I/O): from async code, go through `asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from huey import Huey, RedisExpireHuey
from huey.api import Task, TaskWrapper
from huey.exceptions import CancelExecution
from huey.storage import SqliteStorage

from roa2web.jobs.instances import public_url
from roa2web.settings import Settings

log = logging.getLogger("roa2web.jobs.queue")
Executor = Callable[[str, str], str | None]  # (kind, job_id) -> result_ref
UNKNOWN_JOB_TRIES = 5  # a message for a job this app database does not know goes back this many times


class JobUnknown(LookupError):
    """The job of a message is not in this process's app database (the executor raises it)."""


class ExpiringSqliteStorage(SqliteStorage):
    """Huey's SQLite storage, whose task results expire (the stock one keeps them forever)."""

    table_expiry = (
        "create table if not exists result_expiry (queue text not null, key text not null, "
        "expires real not null, primary key(queue, key))"
    )
    ddl: ClassVar[list[str]] = [*SqliteStorage.ddl, table_expiry]

    def __init__(self, name: str = "huey", *, result_ttl_s: float = 86_400, **kwargs: Any) -> None:
        self.result_ttl_s = result_ttl_s
        super().__init__(name, **kwargs)

    def put_data(self, key: str, value: bytes, is_result: bool = False) -> None:
        """Store a value; results also get an expiry time."""
        if not is_result:
            super().put_data(key, value, is_result)
            return
        with self.db(commit=True) as cursor:
            cursor.execute(
                "insert or replace into kv (queue, key, value) values (?, ?, ?)", (self.name, key, self.to_blob(value))
            )
            cursor.execute(
                "insert or replace into result_expiry (queue, key, expires) values (?, ?, ?)",
                (self.name, key, time.time() + self.result_ttl_s),
            )

    def expire_results(self) -> int:
        """Delete results past their expiry; returns how many."""
        now = time.time()
        with self.db(commit=True) as cursor:
            cursor.execute(
                "delete from kv where queue = ? and key in "
                "(select key from result_expiry where queue = ? and expires <= ?)",
                (self.name, self.name, now),
            )
            removed = int(cursor.rowcount)
            cursor.execute("delete from result_expiry where queue = ? and expires <= ?", (self.name, now))
        return removed


class ExpiringSqliteHuey(Huey):
    """SqliteHuey with expiring results."""

    storage_class = ExpiringSqliteStorage


def queue_path(settings: Settings) -> str:
    """The SQLite queue file (QUEUE_BACKEND=sqlite)."""
    return str(settings.data_path("queue.db"))


def build_huey(settings: Settings) -> Huey:
    """SqliteHuey on DATA_DIR/queue.db (WAL) or RedisHuey on QUEUE_URL, results with expiry."""
    if settings.queue_backend == "redis":
        return RedisExpireHuey(
            settings.queue_name,
            url=settings.queue_url,
            expire_time=settings.queue_result_ttl_s,
            blocking=True,
            read_timeout=1,
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return ExpiringSqliteHuey(
        settings.queue_name,
        filename=queue_path(settings),
        journal_mode="wal",
        timeout=30,
        result_ttl_s=settings.queue_result_ttl_s,
    )


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    """Huey (utc=True) compares naive UTC datetimes."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


class JobQueue:
    """One Huey instance, its per-kind tasks, and a hook to wake local consumer threads."""

    def __init__(self, settings: Settings, huey: Huey | None = None) -> None:
        self.settings = settings
        self.huey = huey or build_huey(settings)
        self.backend = settings.queue_backend
        self._tasks: dict[str, TaskWrapper] = {}
        self._lock = threading.Lock()
        self._executor: Executor | None = None
        self._listeners: list[Callable[[], None]] = []

    def bind_executor(self, executor: Executor | None) -> None:
        """The function consumer threads call to run a job (set by the process that consumes)."""
        self._executor = executor

    def on_enqueue(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every enqueue from this process (wakes idle local workers)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        """Undo `on_enqueue`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def task_for(self, kind: str) -> TaskWrapper:
        """The Huey task of `kind`, registered on first use (its name shows in Huey's stats)."""
        with self._lock:
            wrapper = self._tasks.get(kind)
            if wrapper is None:

                def run_job(job_id: str, tries: int = 0) -> str | None:
                    if self._executor is None:
                        raise RuntimeError("no job executor in this process (it does not consume the queue)")
                    try:
                        return self._executor(kind, job_id)
                    except JobUnknown:
                        self._send_back_unknown(kind, job_id, tries)
                        raise CancelExecution(retry=False) from None

                run_job.__module__ = "roa2web.jobs"
                wrapper = self.huey.task(name=kind)(run_job)
                self._tasks[kind] = wrapper
            return wrapper

    def _send_back_unknown(self, kind: str, job_id: str, tries: int) -> None:
        """A message for a job our app database does not know: leave it to its owner a few times, then drop it.

        With the instance registration (`roa2web.jobs.instances`) it does not happen; when it does,
        another instance on this queue accepted the job into another app database.
        """
        settings = self.settings
        where = (f"job {job_id} ({kind}) is not in this instance's app database "
                 f"({public_url(settings.app_database_url)}): an instance on another app database shares "
                 f"queue {settings.queue_name!r} (every instance on one queue needs the same APP_DB_URL; "
                 "`roa2web check` lists them)")
        if tries >= UNKNOWN_JOB_TRIES:
            log.error("%s; dropped after %d tries: the job stays queued where it was accepted until that "
                      "instance restarts and sends it again", where, tries + 1)
            return
        delay_s = settings.queue_retry_delay_s
        self.enqueue(self.task_for(kind).s(job_id, tries=tries + 1),
                     eta=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay_s))
        log.error("%s; sent back to the queue for its owner in %.1f s (try %d of %d)", where, delay_s, tries + 1,
                  UNKNOWN_JOB_TRIES + 1)

    def new_task(self, kind: str, job_id: str) -> Task:
        """A message for job `job_id`, not yet enqueued (its id goes into the job row first)."""
        task: Task = self.task_for(kind).s(job_id)
        return task

    def enqueue(self, task: Task, *, eta: dt.datetime | None = None) -> None:
        """Put `task` on the queue now, or on the schedule for `eta`. Blocking."""
        if eta is not None and _naive_utc(eta) > dt.datetime.now(dt.UTC).replace(tzinfo=None):
            task.eta = _naive_utc(eta)
            self.huey.add_schedule(task)
        else:
            self.huey.enqueue(task)
        for listener in list(self._listeners):
            listener()

    def revoke(self, task_id: str) -> None:
        """Skip this message if a worker dequeues it. Blocking."""
        self.huey.revoke_by_id(task_id)

    def ping(self) -> None:
        """Raise unless the backend answers. Blocking."""
        self.huey.pending_count()

    def counts(self) -> dict[str, int]:
        """Messages waiting now and scheduled for later. Blocking."""
        return {"pending": int(self.huey.pending_count()), "scheduled": int(self.huey.scheduled_count())}

    def _messages(self, items: list[bytes]) -> list[dict[str, Any]]:
        out = []
        for data in items:
            try:
                message = self.huey.serializer.deserialize(data)
            except Exception:  # a message from another version: show it as unknown
                out.append({"task": "?", "id": None, "eta": None, "job_id": None})
                continue
            eta = message.eta.replace(tzinfo=dt.UTC) if message.eta else None
            job_id = message.args[0] if message.args else None
            out.append({"task": message.name.rsplit(".", 1)[-1], "id": message.id, "eta": eta, "job_id": job_id})
        return out

    def pending(self, limit: int | None = 20) -> list[dict[str, Any]]:
        """Waiting messages (task, id, job id), read without needing their tasks registered. Blocking."""
        return self._messages(self.huey.storage.enqueued_items(limit))

    def scheduled(self, limit: int | None = 20) -> list[dict[str, Any]]:
        """Scheduled messages (retries after backoff), soonest first. Blocking."""
        return self._messages(self.huey.storage.scheduled_items(limit))

    def message_ids(self) -> set[str]:
        """Ids of every message waiting or scheduled. Blocking."""
        return {message["id"] for message in self.pending(None) + self.scheduled(None) if message["id"]}

    def expire_results(self) -> int:
        """Drop expired results (Redis expires them by itself). Blocking."""
        storage = self.huey.storage
        return storage.expire_results() if isinstance(storage, ExpiringSqliteStorage) else 0

    def close(self) -> None:
        """Release the backend connection."""
        storage: Any = self.huey.storage
        if isinstance(storage, SqliteStorage):
            storage.close()
        else:
            storage.pool.disconnect()
