"""`roa2web db upgrade`: apply pending migrations to every app database."""

from __future__ import annotations

import argparse

from roa2web.aio import run_async
from roa2web.appdb.part import DatabasePart
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


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db upgrade`."""
    db = subparsers.add_parser("db", help="app database maintenance").add_subparsers(dest="db_command")
    db.add_parser("upgrade", help="apply pending migrations").set_defaults(
        handler=lambda args, settings: run_async(_upgrade(settings)) or 0
    )
