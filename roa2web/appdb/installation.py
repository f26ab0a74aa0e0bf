"""The app database's identity: a random installation id, made once per database.

Instances that share a queue must share their app database (the jobs table is the truth about
every job); they compare this id to find out (`roa2web.jobs.instances`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from peewee_async.databases import fetchall

from roa2web.appdb.database import AppDatabase
from roa2web.appdb.migrations import Migration, apply_migrations

COMPONENT = "installation"
MIGRATIONS = (
    Migration(
        1,
        "installation id",
        (
            """CREATE TABLE installation (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                id TEXT NOT NULL,
                created_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
)


async def installation_id(db: AppDatabase) -> str:
    """This database's installation id, created on first call (the table is migrated if needed)."""
    await apply_migrations(db, COMPONENT, MIGRATIONS)
    select = "SELECT id FROM installation WHERE singleton = 1"
    rows = await db.aio_execute_sql(select, fetch_results=fetchall)
    if rows:
        return str(rows[0][0])
    # Two processes may race here: ON CONFLICT keeps the first id, and both read it back.
    await db.aio_execute_sql(
        f"INSERT INTO installation (singleton, id, created_at) VALUES (1, {db.param}, {db.param}) "
        "ON CONFLICT (singleton) DO NOTHING",
        (uuid.uuid4().hex, dt.datetime.now(dt.UTC).replace(tzinfo=None)),
    )
    rows = await db.aio_execute_sql(select, fetch_results=fetchall)
    return str(rows[0][0])
