"""What an install keeps on disk, by role: where each database and folder of a backup comes from or goes to.

The same settings give the sources of a backup and the targets of a restore, so an archive made on one
data dir is put back into the right places of another (`--data-dir`), whatever their paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roa2web.appdb.database import sqlite_file, url_without_credentials
from roa2web.auth.secret import secret_path
from roa2web.jobs.queue import queue_path
from roa2web.settings import Settings

DATABASE_ROLES = ("app_db", "data_entry_db", "queue", "cache", "ledger")
FILE_ROLES = ("jwt_secret",)
FOLDER_ROLES = ("receipts", "exports")


@dataclass(frozen=True)
class Layout:
    """The install's SQLite databases and files by role; what lives elsewhere (PostgreSQL, Redis, Oracle) too."""

    databases: dict[str, Path]
    files: dict[str, Path]
    folders: dict[str, Path]
    elsewhere: dict[str, str]  # role -> one line: where it is and how to back it up

    def target(self, role: str) -> Path | None:
        """Where `role` lives in this install (None: not a file here)."""
        return self.databases.get(role) or self.files.get(role) or self.folders.get(role)


def layout(settings: Settings) -> Layout:
    """Every place of the install `settings` describe, existing or not."""
    databases: dict[str, Path] = {}
    elsewhere: dict[str, str] = {}
    for role, url, variable in (("app_db", settings.app_database_url, "APP_DB_URL"),
                                ("data_entry_db", settings.data_entry_database_url, "DATA_ENTRY_DB_URL")):
        path = sqlite_file(url)
        if path is None:
            where = url_without_credentials(url)
            elsewhere[role] = f"{role}: on PostgreSQL ({variable}={where}), not in the archive: back it up with pg_dump"
        else:
            databases[role] = path
    if settings.queue_backend == "sqlite":
        databases["queue"] = Path(queue_path(settings))
    else:
        elsewhere["queue"] = "queue: in Redis (QUEUE_BACKEND=redis), not in the archive"
    databases["cache"] = settings.data_path("cache.db")
    if settings.oracle_configured:
        elsewhere["ledger"] = "ledger: Oracle, not in the archive"
    else:
        databases["ledger"] = settings.embedded_ledger_path
    return Layout(
        databases=databases,
        files={"jwt_secret": secret_path(settings)},
        folders={"receipts": settings.files_path("receipts"), "exports": settings.files_path("exports")},
        elsewhere=elsewhere,
    )
