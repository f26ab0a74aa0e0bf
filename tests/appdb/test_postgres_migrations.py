"""Migrations on PostgreSQL when several processes (or the app and data-entry parts) start on one database at once."""

from __future__ import annotations

import asyncio

import pytest
from peewee_async.databases import fetchall

from roa2web.appdb import apply_migrations, open_database
from roa2web.auth.store import MIGRATIONS as AUTH
from roa2web.data_entry.store.migrations import MIGRATIONS as DATA_ENTRY
from roa2web.jobs.store import MIGRATIONS as JOBS
from tests.support.data_entry import wipe_postgres

pytestmark = pytest.mark.postgres


async def test_parts_and_instances_starting_at_once_migrate_each_component_once(postgres_database):
    wipe_postgres(postgres_database)
    # four "processes": two instances, each with its app part (auth, jobs) and data-entry part, on one database
    databases = [open_database(postgres_database, pool_size=2) for _ in range(4)]
    for db in databases:
        await db.aio_connect()
    try:
        plans = [("auth", AUTH), ("data_entry", DATA_ENTRY)] * 2

        async def migrate(index: int) -> list[int]:
            component, migrations = plans[index]
            applied = await apply_migrations(databases[index], component, migrations)
            if component == "auth":
                applied += await apply_migrations(databases[index], "jobs", JOBS)
            return applied

        results = await asyncio.gather(*(migrate(i) for i in range(4)))
        rows = await databases[0].aio_execute_sql(
            "SELECT component, version FROM schema_versions ORDER BY component, version", fetch_results=fetchall)
    finally:
        for db in databases:
            await db.aio_close()
    expected = ({("auth", m.version) for m in AUTH} | {("jobs", m.version) for m in JOBS}
                | {("data_entry", m.version) for m in DATA_ENTRY})
    assert sorted(expected) == [tuple(row) for row in rows]
    # each version applied by exactly one of the two instances
    assert sorted(results[0] + results[2]) == sorted([m.version for m in AUTH] + [m.version for m in JOBS])
    assert sorted(results[1] + results[3]) == sorted(m.version for m in DATA_ENTRY)
