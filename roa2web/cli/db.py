"""`roa2web db upgrade` (apply pending migrations) and `roa2web db status` (what is applied, what is pending)."""

from __future__ import annotations

import argparse
from pathlib import Path

from peewee_async.databases import fetchall

from roa2web.aio import run_async
from roa2web.appdb.database import SqliteAppDatabase, engine_name, ensure_reachable, url_without_credentials
from roa2web.appdb.migrations import applied_versions
from roa2web.appdb.part import DatabasePart
from roa2web.cli.backup import size_text
from roa2web.databases import database_parts
from roa2web.settings import Settings


def up_to_date(name: str, part: DatabasePart) -> str:
    """The line saying a database is migrated, where it is (a PostgreSQL URL without its credentials)."""
    return f"{name}: up to date ({part.url.split('@')[-1]})"


async def _upgrade(settings: Settings) -> None:
    for name, part in database_parts(settings).items():
        await part.start()  # connecting applies every pending migration
        await part.stop()
        print(up_to_date(name, part))


def _versions(versions: set[int]) -> str:
    ordered = sorted(versions)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return str(ordered[0]) if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(map(str, ordered))


async def _engine_line(name: str, part: DatabasePart) -> str:
    where = f"{name}: {url_without_credentials(part.url)} ({engine_name(part.db)}"
    if isinstance(part.db, SqliteAppDatabase):
        path = Path(part.db.database)
        wal = path.with_name(path.name + "-wal")
        mode = await part.db.aio_execute_sql("PRAGMA journal_mode", fetch_results=fetchall)
        where += f", {size_text(path.stat().st_size)}"
        where += f" + {size_text(wal.stat().st_size)} WAL" if wal.exists() and wal.stat().st_size else ""
        where += f", journal_mode {mode[0][0]}"
    return where + ")"


async def _describe(name: str, part: DatabasePart) -> tuple[list[str], bool]:
    """The lines about one database and whether it has pending migrations."""
    if isinstance(part.db, SqliteAppDatabase) and not Path(part.db.database).exists():
        return [f"{name}: {url_without_credentials(part.url)} (sqlite): no database file yet, "
                "every migration pending"], True
    await ensure_reachable(part.db)
    try:
        lines = [await _engine_line(name, part)]
        applied = await applied_versions(part.db)
    finally:
        await part.db.aio_close()
    pending_any = False
    for component, migrations in part.components:
        done = applied.get(component, set())
        pending = [migration for migration in sorted(migrations, key=lambda m: m.version)
                   if migration.version not in done]
        pending_any = pending_any or bool(pending)
        line = f"  {component}: applied {_versions(done)}" if done else f"  {component}: none applied"
        if pending:
            line += ", pending " + ", ".join(f"{m.version} ({m.name})" for m in pending)
        else:
            line += ", up to date"
        unknown = done - {migration.version for migration in migrations}
        if unknown:
            line += f"; also {_versions(unknown)}, which this version of roa2web does not know (a newer one ran)"
        lines.append(line)
    return lines, pending_any


async def _status(settings: Settings) -> int:
    pending_any = False
    for name, part in database_parts(settings).items():
        lines, pending = await _describe(name, part)
        print("\n".join(lines))
        pending_any = pending_any or pending
    if pending_any:
        print("migrations are pending: run `roa2web db upgrade`")
        return 1
    print("every database is up to date")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db upgrade` and `db status`."""
    db = subparsers.add_parser("db", help="app database maintenance").add_subparsers(dest="db_command")
    db.add_parser("upgrade", help="apply pending migrations").set_defaults(
        handler=lambda args, settings: run_async(_upgrade(settings)) or 0
    )
    db.add_parser("status", help="each database's engine, size and applied and pending migrations").set_defaults(
        handler=lambda args, settings: run_async(_status(settings))
    )
