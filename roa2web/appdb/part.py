"""An app database as a runtime part: connect, migrate every registered component, report health."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peewee_async.databases import fetchall

from roa2web.appdb.database import AppDatabase, SqliteAppDatabase, engine_name, ensure_reachable, open_database
from roa2web.appdb.migrations import Migration, apply_migrations
from roa2web.runtime import Part


class DatabasePart:
    """One app database; modules add their migrations before startup."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url
        self.db: AppDatabase = open_database(url)
        self._components: list[tuple[str, Sequence[Migration]]] = []

    def add_migrations(self, component: str, migrations: Sequence[Migration]) -> None:
        """Migrations of `component` to apply at startup."""
        self._components.append((component, migrations))

    @property
    def components(self) -> tuple[tuple[str, Sequence[Migration]], ...]:
        """Each registered component with its migrations, in registration order."""
        return tuple(self._components)

    async def start(self) -> None:
        """Connect and bring every component's schema up to date (DatabaseUnreachable when the server is not there)."""
        await ensure_reachable(self.db)
        await self.db.aio_connect()
        for component, migrations in self._components:
            await apply_migrations(self.db, component, migrations)

    async def stop(self) -> None:
        """Close the pool."""
        await self.db.aio_close()

    async def health(self) -> dict[str, Any]:
        """A trivial query, timed."""
        started = time.perf_counter()
        await self.db.aio_execute_sql("SELECT 1", fetch_results=fetchall)
        info: dict[str, Any] = {
            "status": "ok",
            "engine": engine_name(self.db),
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        if isinstance(self.db, SqliteAppDatabase):
            path = Path(self.db.database)
            info["path"] = str(path)
            info["size_bytes"] = path.stat().st_size if path.exists() else 0
        return info

    def part(self) -> Part:
        """This database as a runtime part."""
        return Part(self.name, self.health, start=self.start, stop=self.stop)
