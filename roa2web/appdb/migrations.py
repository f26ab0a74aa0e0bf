"""Forward-only schema migrations, one list per component, applied at startup.

Each migration is a list of SQL statements written to run unchanged on SQLite and
PostgreSQL (TEXT ids generated in Python, no autoincrement, TIMESTAMP, BOOLEAN, BIGINT).

Several processes may start at once on one database (two instances, or the app and data-entry
parts on one PostgreSQL database): every schema change runs in a transaction that first takes the
schema lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL, where a plain transaction
would let two `CREATE TABLE` race and one fail with "already exists").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from peewee_async.databases import fetchall

from roa2web.appdb.database import AppDatabase, SqliteAppDatabase, transaction_lock, write_transaction

SCHEMA_LOCK = "roa2web schema"  # every process that changes the schema holds it


_VERSIONS_DDL = """
CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    PRIMARY KEY (component, version)
)
"""


@dataclass(frozen=True)
class Migration:
    """One forward step of a component's schema."""

    version: int
    name: str
    statements: Sequence[str]


async def _read_version(db: AppDatabase, component: str) -> int:
    rows = await db.aio_execute_sql(
        f"SELECT MAX(version) FROM schema_versions WHERE component = {db.param}",
        (component,),
        fetch_results=fetchall,
    )
    return int(rows[0][0] or 0) if rows else 0


async def applied_versions(db: AppDatabase) -> dict[str, set[int]]:
    """Every component's applied versions, read only (empty when no migration ever ran on `db`)."""
    tables = (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'"
        if isinstance(db, SqliteAppDatabase)
        else "SELECT table_name FROM information_schema.tables WHERE table_name = 'schema_versions' "
        "AND table_schema = current_schema()"
    )
    if not await db.aio_execute_sql(tables, fetch_results=fetchall):
        return {}
    applied: dict[str, set[int]] = {}
    for component, version in await db.aio_execute_sql("SELECT component, version FROM schema_versions",
                                                       fetch_results=fetchall):
        applied.setdefault(str(component), set()).add(int(version))
    return applied


async def current_version(db: AppDatabase, component: str) -> int:
    """The highest applied version of `component` (0 when none)."""
    async with write_transaction(db):
        await transaction_lock(db, SCHEMA_LOCK)
        await db.aio_execute_sql(_VERSIONS_DDL)
    return await _read_version(db, component)


async def apply_migrations(db: AppDatabase, component: str, migrations: Sequence[Migration]) -> list[int]:
    """Apply every migration of `component` newer than the database has; return the versions applied."""
    applied: list[int] = []
    done = await current_version(db, component)
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version <= done:
            continue
        async with write_transaction(db):
            await transaction_lock(db, SCHEMA_LOCK)
            if await _read_version(db, component) >= migration.version:
                continue  # another process applied it meanwhile
            for statement in migration.statements:
                await db.aio_execute_sql(statement)
            await db.aio_execute_sql(
                "INSERT INTO schema_versions (component, version, name, applied_at) "
                f"VALUES ({db.param}, {db.param}, {db.param}, {db.param})",
                (component, migration.version, migration.name, dt.datetime.now(dt.UTC).replace(tzinfo=None)),
            )
        applied.append(migration.version)
    return applied
