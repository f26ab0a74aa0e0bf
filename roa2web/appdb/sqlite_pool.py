"""A small reusing pool of aiosqlite connections, each set up with the pragmas we need.

peewee-async's own SQLite backend opens a fresh connection (and thread) per use and ignores
pragmas; this one keeps up to `size` connections open and sets WAL, busy timeout and
foreign keys on each.

Each aiosqlite connection runs on a worker thread of its own, and aiosqlite makes it a
non-daemon thread that ends only when the connection is closed: one connection left open (a
pool never closed, a task cancelled while a connection was being set up) kept the whole process
alive after its work was done, a service that never stops. So the pool closes a connection it
failed to set up, and its worker threads are daemons: a committed SQLite write is durable
without a close, and an open transaction is rolled back on the next open.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast, override

import aiosqlite
from peewee_async.pool import PoolBackend
from peewee_async.utils import ConnectionProtocol

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
)


class ReusingSqlitePool(PoolBackend):
    """Pool backend for peewee-async: connections are kept and reused, at most `size` open."""

    required_modules = ["aiosqlite"]  # noqa: RUF012 - peewee-async declares it so

    def __init__(self, *, database: str, **kwargs: Any) -> None:
        self.size: int = kwargs.pop("size", 8)
        self.busy_timeout_ms: int = int(kwargs.pop("timeout", 30) * 1000)
        super().__init__(database=database, **kwargs)
        self._idle: asyncio.LifoQueue[aiosqlite.Connection] | None = None
        self._slots: asyncio.Semaphore | None = None
        self._open: set[aiosqlite.Connection] = set()
        self._in_use = 0

    @override
    async def create(self) -> None:
        self._idle = asyncio.LifoQueue()
        self._slots = asyncio.Semaphore(self.size)
        self.pool = self

    @property
    @override
    def is_connected(self) -> bool:
        return self._idle is not None

    @override
    def has_acquired_connections(self) -> bool:
        return self._in_use > 0

    @override
    async def acquire(self) -> ConnectionProtocol:
        if self._idle is None or self._slots is None:
            await self.connect()
        assert self._idle is not None and self._slots is not None
        await self._slots.acquire()
        try:
            conn = self._idle.get_nowait() if not self._idle.empty() else await self._open_connection()
        except BaseException:
            self._slots.release()
            raise
        self._in_use += 1
        return cast("ConnectionProtocol", conn)

    async def _open_connection(self) -> aiosqlite.Connection:
        conn = aiosqlite.connect(self.database, isolation_level=None, check_same_thread=False)
        conn._thread.daemon = True  # not started yet: it starts when the connection is awaited
        await conn
        try:
            await conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            for pragma in PRAGMAS:
                await conn.execute(pragma)
        except BaseException:
            await asyncio.shield(conn.close())
            raise
        self._open.add(conn)
        return conn

    @override
    async def release(self, conn: ConnectionProtocol) -> None:
        assert self._idle is not None and self._slots is not None
        self._in_use -= 1
        connection = cast("aiosqlite.Connection", conn)
        if connection.in_transaction:  # a cancelled task left a transaction open: discard it
            self._open.discard(connection)
            await connection.close()
        else:
            self._idle.put_nowait(connection)
        self._slots.release()

    @override
    async def close(self) -> None:
        for conn in list(self._open):
            await conn.close()
        self._open.clear()
        self._idle = None
        self._slots = None
