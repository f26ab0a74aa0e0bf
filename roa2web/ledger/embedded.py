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

from roa2web.ledger.base import Ledger, LedgerError, LedgerUnavailable, Row
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


class EmbeddedLedger(Ledger):
    """SQLite ledger file opened read-only, one connection per worker thread."""

    kind = "embedded"

    def __init__(self, path: Path, *, timeout_s: float = 10.0, threads: int = 4) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ledger")
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if not self.path.exists():
                raise LedgerUnavailable(f"ledger file {self.path} does not exist (run `roa2web init`)")
            try:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise LedgerUnavailable(f"ledger file {self.path} cannot be opened: {exc}") from exc
            try:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA query_only = 1")
                conn.execute("PRAGMA cache_size = -65536")  # the first read: a corrupt file fails here
            except sqlite3.Error as exc:
                conn.close()
                raise LedgerUnavailable(f"ledger file {self.path} cannot be read: {exc}") from exc
            self._local.conn = conn
        return conn

    def _run(self, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        """Run one SQLite statement; any sqlite3 failure, opening the file included, is a LedgerError."""
        try:
            conn = self._connection()
            cursor = conn.execute(sql, {key: _sqlite_bind(value) for key, value in binds.items()})
            return [dict(zip(row.keys(), row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            raise LedgerError(f"embedded ledger query failed: {exc}") from exc

    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._run, to_sqlite(sql), dict(binds))
        try:
            return await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError as exc:
            raise LedgerUnavailable(f"ledger statement {name} took longer than {self.timeout_s}s") from exc

    @override
    async def ping(self) -> None:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._run, "SELECT 1 AS ok", {})
        await asyncio.wait_for(future, self.timeout_s)

    @override
    def _read_identity(self) -> LedgerIdentity:
        return embedded_identity(self.path)

    @override
    def stats(self) -> dict[str, Any]:
        size = self.path.stat().st_size if self.path.exists() else 0
        return {"kind": self.kind, "path": str(self.path), "size_bytes": size, "identity": str(self.identity),
                "queries": self.queries}

    @override
    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
