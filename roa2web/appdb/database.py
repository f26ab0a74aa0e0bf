"""Open an app database from a URL, and run write transactions safely on both engines."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import peewee
import peewee_async
from peewee_async.connection import connection_context
from peewee_async.databases import fetchall
from peewee_async.transactions import Transaction

from roa2web.appdb.sqlite_pool import ReusingSqlitePool


class _ImmediateTransaction(Transaction):
    """SQLite: take the write lock at BEGIN, so read-then-write transactions never deadlock."""

    async def begin(self) -> None:
        await self.execute(f"SAVEPOINT {self.savepoint}" if self.savepoint else "BEGIN IMMEDIATE")


class SqliteAppDatabase(peewee_async.SqliteDatabase):
    """peewee-async SQLite with a reusing pool, pragmas per connection and BEGIN IMMEDIATE."""

    pool_backend_cls = ReusingSqlitePool

    @contextlib.asynccontextmanager
    async def _aio_atomic(self, use_savepoint: bool = False) -> AsyncIterator[None]:
        async with self.aio_connection() as connection:
            context = connection_context.get()
            assert context is not None
            is_root = not context.transaction_is_opened
            if not is_root and not use_savepoint:
                raise peewee.OperationalError("Transaction already opened")
            try:
                async with _ImmediateTransaction(connection, is_savepoint=not is_root):
                    if is_root:
                        context.transaction_is_opened = True
                    yield
            finally:
                if is_root:
                    context.transaction_is_opened = False


type AppDatabase = SqliteAppDatabase | peewee_async.Psycopg3Database


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///path` URL; None for any other engine.

    Relative: `sqlite:///data/app.db`; absolute: `sqlite:////srv/app.db` or `sqlite:///C:/data/app.db`.
    """
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        return Path(unquote(url[len("sqlite:///") :]))
    return Path(unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path))


def url_without_credentials(url: str) -> str:
    """`postgresql://host:port/name` without user and password (SQLite URLs have none)."""
    parsed = urlparse(url)
    if parsed.username is None and parsed.password is None:
        return url
    netloc = (parsed.hostname or "") + (f":{parsed.port}" if parsed.port else "")
    return parsed._replace(netloc=netloc).geturl()


def open_database(url: str, *, pool_size: int = 8) -> AppDatabase:
    """A database for `sqlite:///path/to/file.db` or `postgresql://user@host:port/name`."""
    parsed = urlparse(url)
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteAppDatabase(str(path), pool_params={"size": pool_size, "timeout": 30})
    if parsed.scheme in {"postgresql", "postgres"}:
        from psycopg_pool import AsyncConnectionPool  # the postgres extra: only imported when configured

        # peewee-async rebuilds a DSN URL from these, so user and password stay percent-encoded
        params: dict[str, Any] = {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "user": parsed.username or "postgres",
            "password": parsed.password or "",
            # checked at checkout: a connection the server closed (restart, failover, idle timeout) is
            # replaced instead of failing the request that drew it
            "pool_params": {"min_size": 1, "max_size": pool_size, "check": AsyncConnectionPool.check_connection},
        }
        return peewee_async.Psycopg3Database(parsed.path.lstrip("/") or "postgres", **params)
    raise ValueError(f"unsupported database URL scheme {parsed.scheme!r} (use sqlite:/// or postgresql://)")


class DatabaseUnreachable(ConnectionError):
    """The database server did not accept a connection (its own words in the message, never the password)."""


async def ensure_reachable(db: AppDatabase, timeout_s: float = 10.0) -> None:
    """PostgreSQL: one direct connection first, so a server that is down or refuses us fails fast and says why.

    (The pool would retry in the background and fail the first query after 30 s with a bare PoolTimeout.)
    """
    if isinstance(db, SqliteAppDatabase):
        return
    import psycopg

    params = db.connect_params
    where = f"{params['host']}:{params['port']}/{db.database}"
    try:
        connection = await psycopg.AsyncConnection.connect(
            host=params["host"], port=params["port"], user=unquote(params["user"]),
            password=unquote(params["password"]) or None, dbname=db.database, connect_timeout=max(1, round(timeout_s)))
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DatabaseUnreachable(f"PostgreSQL at {where} did not accept a connection: {reason}") from None
    await connection.close()


def write_transaction(db: AppDatabase) -> contextlib.AbstractAsyncContextManager[None]:
    """A transaction for work that reads then writes.

    On SQLite it is BEGIN IMMEDIATE: write transactions run one at a time. On PostgreSQL it is READ
    COMMITTED: transactions overlap, and each statement sees what others committed before it began.
    Work in one must therefore start with what serializes it against its rivals: a conditional
    UPDATE of the row they share (`WHERE state = ...`, a no-op UPDATE as a row lock, as
    `auth.store.lock_user` does) or `transaction_lock` when they share no row yet.
    """
    transaction: contextlib.AbstractAsyncContextManager[None] = db.aio_atomic()
    return transaction


def advisory_lock_number(key: str) -> int:
    """The PostgreSQL advisory-lock number (a signed 64-bit int) every process derives from `key`."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


async def transaction_lock(db: AppDatabase, key: str) -> None:
    """Inside a write transaction: wait until no other transaction holds `key`, and hold it until this one ends.

    For transactions that must not overlap although they touch no common row (yet): on PostgreSQL an
    advisory lock; on SQLite nothing, as BEGIN IMMEDIATE already runs write transactions one at a time.
    """
    if isinstance(db, SqliteAppDatabase):
        return
    number = advisory_lock_number(key)
    await db.aio_execute_sql(f"SELECT pg_advisory_xact_lock({db.param})", (number,), fetch_results=fetchall)


def engine_name(db: AppDatabase) -> str:
    """'sqlite' or 'postgresql'."""
    return "sqlite" if isinstance(db, SqliteAppDatabase) else "postgresql"
