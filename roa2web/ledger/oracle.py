"""The ROA ledger in Oracle: oracledb thin mode, async pool, every call bounded by a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Mapping
from typing import Any, override

from roa2web.ledger.base import BatchCursor, Ledger, LedgerError, LedgerUnavailable, Row
from roa2web.ledger.identity import LedgerIdentity, oracle_identity

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$#]*(\.[A-Za-z_][A-Za-z0-9_$#]*){0,2}$")


class _OracleBatches(BatchCursor):
    """A statement streamed from a pooled connection held until it is closed; every fetch bounded."""

    def __init__(self, ledger: OracleLedger, name: str, batch_rows: int) -> None:
        self._ledger = ledger
        self._name = name
        self._batch_rows = batch_rows
        self._connection: Any = None
        self._cursor: Any = None
        self._names: list[str] = []

    async def _execute(self, sql: str, binds: Mapping[str, Any]) -> None:
        import oracledb

        try:
            self._connection = await self._ledger._pool.acquire()
            self._cursor = self._connection.cursor()
            self._cursor.arraysize = self._batch_rows
            self._cursor.prefetchrows = self._batch_rows
            await self._cursor.execute(sql, dict(binds))
        except oracledb.Error as exc:
            raise LedgerError(f"Oracle query failed: {exc}") from exc
        self._names = [column[0].lower() for column in self._cursor.description or ()]

    async def execute(self, sql: str, binds: Mapping[str, Any]) -> None:
        """Take a connection from the pool and run the statement."""
        if self._ledger._pool is None:
            raise LedgerUnavailable("the Oracle pool is not started")
        await self._ledger._bounded(self._execute(sql, binds), self._name)

    async def _fetch(self) -> list[Row]:
        import oracledb

        if self._cursor is None:
            return []
        try:
            rows = await self._cursor.fetchmany(self._batch_rows)
        except oracledb.Error as exc:
            raise LedgerError(f"Oracle query failed: {exc}") from exc
        names = self._names
        return [dict(zip(names, row, strict=True)) for row in rows]

    async def next_batch(self) -> list[Row]:
        """The next batch of rows (empty at the end)."""
        return list(await self._ledger._bounded(self._fetch(), self._name))

    async def close(self) -> None:
        """Close the cursor and give the connection back to the pool."""
        cursor, connection, self._cursor, self._connection = self._cursor, self._connection, None, None
        with contextlib.suppress(Exception):  # a broken connection is dropped by the pool
            if cursor is not None:
                cursor.close()
            if connection is not None:
                await asyncio.wait_for(connection.close(), 2.0)


class OracleLedger(Ledger):
    """Reads the contract views over ROA; verifies users with ROA's own function."""

    kind = "oracle"

    def __init__(
        self,
        *,
        dsn: str,
        user: str,
        password: str,
        pool_min: int = 2,
        pool_max: int = 10,
        timeout_s: float = 10.0,
        verify_function: str = "pack_drepturi.verificautilizator",
        health_timeout_s: float = 2.0,
        breaker_failures: int = 3,
        breaker_cool_down_s: float = 10.0,
    ) -> None:
        if not _IDENTIFIER.match(verify_function):
            raise ValueError(f"ORACLE_AUTH_FUNCTION {verify_function!r} is not a plain PL/SQL name")
        super().__init__(timeout_s=timeout_s, health_timeout_s=health_timeout_s, breaker_failures=breaker_failures,
                         breaker_cool_down_s=breaker_cool_down_s)
        self.dsn = dsn
        self.user = user
        self._password = password
        self.pool_min = pool_min
        self.pool_max = pool_max
        self.verify_function = verify_function
        self._pool: Any = None

    @override
    async def start(self) -> None:
        import oracledb

        # create_pool_async returns at once; connections are made on demand, so a down
        # Oracle does not block startup (health reports it).
        self._pool = oracledb.create_pool_async(
            user=self.user,
            password=self._password,
            dsn=self.dsn,
            min=self.pool_min,
            max=self.pool_max,
            increment=1,
            tcp_connect_timeout=min(self.timeout_s, 5.0),
        )

    async def _run(self, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        if self._pool is None:
            raise LedgerUnavailable("the Oracle pool is not started")
        import oracledb

        try:
            async with self._pool.acquire() as connection:
                with connection.cursor() as cursor:
                    await cursor.execute(sql, dict(binds))
                    names = [column[0].lower() for column in cursor.description or ()]
                    return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]
        except oracledb.Error as exc:
            raise LedgerError(f"Oracle query failed: {exc}") from exc

    async def _bounded(self, coroutine: Any, what: str, timeout_s: float | None = None) -> Any:
        limit = self.timeout_s if timeout_s is None else timeout_s
        try:
            return await asyncio.wait_for(coroutine, limit)
        except TimeoutError as exc:
            raise LedgerUnavailable(f"Oracle did not answer {what} within {limit}s") from exc
        except LedgerError:
            raise
        except OSError as exc:
            raise LedgerUnavailable(f"Oracle unreachable: {exc}") from exc

    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]:
        return list(await self._bounded(self._run(sql, binds), name))

    @override
    async def _open_cursor(self, name: str, sql: str, binds: Mapping[str, Any], batch_rows: int) -> BatchCursor:
        cursor = _OracleBatches(self, name, batch_rows)
        try:
            await cursor.execute(sql, binds)
        except BaseException:
            await cursor.close()
            raise
        return cursor

    @override
    async def _health_query(self) -> LedgerIdentity:
        await self._bounded(self._run("SELECT 1 AS ok FROM dual", {}), "the health query", self.health_timeout_s)
        return self.identity

    async def verify_user(self, username: str, password: str) -> bool:
        """Ask ROA whether the password is right (the function returns > 0 for a valid user); through the breaker."""
        sql = f"SELECT {self.verify_function}(:username, :password) AS result FROM dual"
        binds = {"username": username.upper(), "password": password}
        rows = await self.guarded("login", lambda: self._bounded(self._run(sql, binds), "login"))
        return bool(rows) and rows[0]["result"] is not None and int(rows[0]["result"]) > 0

    @override
    def _read_identity(self) -> LedgerIdentity:
        return oracle_identity(self.dsn, self.user)

    @override
    def stats(self) -> dict[str, Any]:
        pool = self._pool
        return {
            "kind": self.kind,
            "dsn": self.dsn,
            "identity": str(self.identity),
            "pool_min": self.pool_min,
            "pool_max": self.pool_max,
            "pool_open": getattr(pool, "opened", None) if pool else None,
            "pool_busy": getattr(pool, "busy", None) if pool else None,
            "queries": self.queries,
            "health_queries": self.health_queries,
        }

    @override
    async def close(self) -> None:
        await super().close()
        if self._pool is not None:
            with contextlib.suppress(Exception):  # closing must never fail the shutdown
                await asyncio.wait_for(self._pool.close(force=True), 2.0)
            self._pool = None
