"""Which ledger a process reads: the identity the report cache is keyed on.

An identity is a location (the embedded file's resolved path; Oracle's DSN and user, whose schema
holds the contract views) and a generation (which content is there). A generated embedded ledger
carries its generation id in `r2w_ledger_meta`: a UUID derived from the file's bytes before the
stamp, so the same seed still gives a byte-identical file while different content always gets a
different id. A file from before that table is known by its size and modification time (any
rewrite changes them). A file that is missing or cannot be read has no known generation: the cache
then keeps to the last generation it saw at that location, whose copies it may serve as STALE
while the ledger is down. Oracle is one living ledger: its generation is always the same.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

GENERATION_TABLE = "r2w_ledger_meta"
GENERATION_KEY = "generation_id"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "roa2web:ledger-generation")
ORACLE_GENERATION = "live"


@dataclass(frozen=True, slots=True)
class LedgerIdentity:
    """Where the ledger is, and which content is there (None: it could not be read)."""

    location: str
    generation: str | None

    def __str__(self) -> str:
        return f"{self.location}#{self.generation or 'unreadable'}"


def generation_id_for(content_sha256: str) -> str:
    """The generation id of a ledger whose contract tables hash to `content_sha256`."""
    return str(uuid.uuid5(_NAMESPACE, content_sha256))


def stamp_generation(connection: sqlite3.Connection, generation_id: str) -> None:
    """Write `generation_id` into the ledger open on `connection` (in the caller's transaction)."""
    connection.execute(f"CREATE TABLE {GENERATION_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute(f"INSERT INTO {GENERATION_TABLE} (key, value) VALUES (?, ?)", (GENERATION_KEY, generation_id))


def unknown(kind: str) -> LedgerIdentity:
    """The identity of a ledger that cannot name itself: a location no other process shares."""
    return LedgerIdentity(f"{kind}:{uuid.uuid4()}", None)


def _embedded_generation(path: Path) -> str | None:
    try:
        stat = path.stat()
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = connection.execute(f"SELECT value FROM {GENERATION_TABLE} WHERE key = ?", (GENERATION_KEY,)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            return None
        row = None
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return f"generation:{row[0]}" if row is not None else f"file:{stat.st_size}:{stat.st_mtime_ns}"


def embedded_identity(path: Path) -> LedgerIdentity:
    """The identity of the embedded ledger file at `path` (see the module docstring)."""
    return LedgerIdentity(f"embedded:{path.resolve()}", _embedded_generation(path))


def oracle_identity(dsn: str, user: str) -> LedgerIdentity:
    """The identity of the Oracle ledger: the DSN and the user (unquoted Oracle names are upper case)."""
    return LedgerIdentity(f"oracle:{dsn}:{user.upper()}", ORACLE_GENERATION)
