"""The embedded ledger: the contract tables in a local SQLite file, queried read-only."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import sqlite3
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, override

import sqlglot

from roa2web.ledger.base import BatchCursor, Ledger, LedgerError, LedgerUnavailable, Row
from roa2web.ledger.identity import LedgerIdentity, embedded_identity


@functools.lru_cache(maxsize=512)
def to_sqlite(sql: str) -> str:
    """Transpile one Oracle-dialect statement to SQLite, once per statement text."""
    return sqlglot.transpile(sql, read="oracle", write="sqlite")[0]


def _sqlite_bind(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


STREAM_CACHE_KIB = 2048  # page cache (and sort memory) of a streaming connection: one pass needs little


def _is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite gave up waiting for another connection's lock (the file is locked, not broken)."""
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
        "locked" in str(exc)
    )


def _open(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """A read-only connection to the ledger file that waits at most `busy_timeout_s` for a lock."""
    if not path.exists():
        raise LedgerUnavailable(f"ledger file {path} does not exist (run `roa2web init`)")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_s,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise LedgerUnavailable(f"ledger file {path} cannot be opened: {exc}") from exc


def check_ledger_file(path: Path, busy_timeout_s: float) -> None:
    """The health query of the embedded ledger: open the file afresh, check its length, read a ledger table.

    Raises LedgerUnavailable (missing, locked past `busy_timeout_s`, shorter than its header says,
    not a ledger) or LedgerError.
    """
    conn = _open(path, busy_timeout_s)
    try:
        page_size, page_count = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_size", "page_count"))
        size = path.stat().st_size
        if size < page_size * page_count:
            raise LedgerUnavailable(f"ledger file {path} is truncated: {size} of {page_size * page_count} bytes")
        conn.execute("SELECT company_id FROM r2w_companies LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        what = "is locked by another connection" if _is_busy(exc) else "cannot be read"
        raise LedgerUnavailable(f"ledger file {path} {what}: {exc}") from exc
    except OSError as exc:
        raise LedgerUnavailable(f"ledger file {path} cannot be read: {exc}") from exc
    finally:
        conn.close()


class _SqliteBatches(BatchCursor):
    """A statement streamed from a connection of its own; each step runs on the ledger's threads, bounded."""

    def __init__(self, ledger: EmbeddedLedger, name: str, batch_rows: int) -> None:
        self._ledger = ledger
        self._name = name
        self._batch_rows = batch_rows
        self._conn: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        self._names: list[str] = []

    def _execute(self, sql: str, binds: Mapping[str, Any]) -> None:
        conn = _open(self._ledger.path, self._ledger.timeout_s)
        self._conn = conn
        try:
            conn.execute("PRAGMA query_only = 1")
            conn.execute(f"PRAGMA cache_size = -{STREAM_CACHE_KIB}")
            self._cursor = conn.execute(sql, {key: _sqlite_bind(value) for key, value in binds.items()})
        except sqlite3.Error as exc:
            self._close()
            raise _ledger_error(exc) from exc
        self._names = [column[0].lower() for column in self._cursor.description or ()]

    def _fetch(self) -> list[Row]:
        if self._cursor is None:
            return []
        try:
            rows = self._cursor.fetchmany(self._batch_rows)
        except sqlite3.Error as exc:
            self._close()
            raise _ledger_error(exc) from exc
        names = self._names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _close(self) -> None:
        conn, self._conn, self._cursor = self._conn, None, None
        if conn is not None:
            conn.close()

    async def _step[T](self, call: Any, *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._ledger._executor, call, *args)
        try:
            return await asyncio.wait_for(future, self._ledger.timeout_s)
        except TimeoutError as exc:
            raise LedgerUnavailable(f"ledger statement {self._name} took longer than "
                                    f"{self._ledger.timeout_s}s for a batch") from exc

    async def execute(self, sql: str, binds: Mapping[str, Any]) -> None:
        """Open the connection and run the statement."""
        await self._step(self._execute, sql, binds)

    async def next_batch(self) -> list[Row]:
        """The next batch of rows (empty at the end)."""
        return await self._step(self._fetch)

    async def close(self) -> None:
        """Close the statement's connection (on a ledger thread: it may be mid-step on one)."""
        if self._conn is not None:
            await asyncio.get_running_loop().run_in_executor(self._ledger._executor, self._close)


def _ledger_error(exc: sqlite3.Error) -> LedgerError:
    if _is_busy(exc):
        return LedgerUnavailable(f"embedded ledger is locked: {exc}")
    return LedgerError(f"embedded ledger query failed: {exc}")


class EmbeddedLedger(Ledger):
    """SQLite ledger file opened read-only, one connection per worker thread.

    A thread's connection waits at most `timeout_s` for another connection's lock, like the call
    itself. After a failure, and when the breaker closes or the file's identity changed, every
    thread opens the file again: a file restored or replaced under its name is read, not the one
    a connection still holds open.
    """

    kind = "embedded"

    def __init__(
        self,
        path: Path,
        *,
        timeout_s: float = 10.0,
        threads: int = 4,
        health_timeout_s: float = 2.0,
        breaker_failures: int = 3,
        breaker_cool_down_s: float = 10.0,
    ) -> None:
        super().__init__(timeout_s=timeout_s, health_timeout_s=health_timeout_s, breaker_failures=breaker_failures,
                         breaker_cool_down_s=breaker_cool_down_s)
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ledger")
        self._local = threading.local()
        self._epoch = 0  # bumped to make every thread reconnect

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._local.epoch != self._epoch:
            self._drop_connection()
            conn = None
        if conn is None:
            epoch = self._epoch
            conn = _open(self.path, self.timeout_s)
            try:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA query_only = 1")
                conn.execute("PRAGMA cache_size = -65536")  # the first read: a corrupt file fails here
            except sqlite3.Error as exc:
                conn.close()
                raise LedgerUnavailable(f"ledger file {self.path} cannot be read: {exc}") from exc
            self._local.conn, self._local.epoch = conn, epoch
        return conn

    def _drop_connection(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()

    def _run(self, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        """Run one SQLite statement; any sqlite3 failure, opening the file included, is a LedgerError."""
        try:
            conn = self._connection()
            cursor = conn.execute(sql, {key: _sqlite_bind(value) for key, value in binds.items()})
            return [dict(zip(row.keys(), row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            self._drop_connection()
            if _is_busy(exc):
                raise LedgerUnavailable(f"embedded ledger is locked: {exc}") from exc
            raise LedgerError(f"embedded ledger query failed: {exc}") from exc

    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._run, to_sqlite(sql), dict(binds))
        try:
            return await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError as exc:
            raise LedgerUnavailable(f"ledger statement {name} took longer than {self.timeout_s}s") from exc

    @override
    async def _open_cursor(self, name: str, sql: str, binds: Mapping[str, Any], batch_rows: int) -> BatchCursor:
        cursor = _SqliteBatches(self, name, batch_rows)
        try:
            await cursor.execute(to_sqlite(sql), dict(binds))
        except BaseException:
            await cursor.close()
            raise
        return cursor

    def _check(self) -> LedgerIdentity:
        check_ledger_file(self.path, self.health_timeout_s)
        return embedded_identity(self.path)

    @override
    async def _health_query(self) -> LedgerIdentity:
        return await asyncio.to_thread(self._check)

    @override
    def _forget_connections(self) -> None:
        self._epoch += 1

    @override
    def _read_identity(self) -> LedgerIdentity:
        return embedded_identity(self.path)

    @override
    def stats(self) -> dict[str, Any]:
        size = self.path.stat().st_size if self.path.exists() else 0
        return {"kind": self.kind, "path": str(self.path), "size_bytes": size, "identity": str(self.identity),
                "queries": self.queries, "health_queries": self.health_queries}

    @override
    async def close(self) -> None:
        await super().close()
        self._executor.shutdown(wait=False, cancel_futures=True)
