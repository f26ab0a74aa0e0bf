"""Which ledger a process reads: the identity the report cache is keyed on.

A generated embedded ledger carries its generation id in `r2w_ledger_meta`: a UUID derived from
the file's bytes before the stamp, so the same seed still gives a byte-identical file while
different content always gets a different id. A file from before that table is known by its
size and modification time (any rewrite changes them). A file that cannot be read at all gets an
identity of its own for this process, so nothing cached earlier ever matches it. Oracle is known
by its DSN and user, whose schema holds the contract views.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

GENERATION_TABLE = "r2w_ledger_meta"
GENERATION_KEY = "generation_id"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "roa2web:ledger-generation")


def generation_id_for(content_sha256: str) -> str:
    """The generation id of a ledger whose contract tables hash to `content_sha256`."""
    return str(uuid.uuid5(_NAMESPACE, content_sha256))


def stamp_generation(connection: sqlite3.Connection, generation_id: str) -> None:
    """Write `generation_id` into the ledger open on `connection` (in the caller's transaction)."""
    connection.execute(f"CREATE TABLE {GENERATION_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute(f"INSERT INTO {GENERATION_TABLE} (key, value) VALUES (?, ?)", (GENERATION_KEY, generation_id))


def unidentified(kind: str) -> str:
    """An identity no other process or run shares: for a ledger whose own cannot be read."""
    return f"{kind}:unidentified:{uuid.uuid4()}"


def embedded_identity(path: Path) -> str:
    """The identity of the embedded ledger file at `path` (see the module docstring)."""
    try:
        stat = path.stat()
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return unidentified("embedded")
    try:
        row = connection.execute(f"SELECT value FROM {GENERATION_TABLE} WHERE key = ?", (GENERATION_KEY,)).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            return unidentified("embedded")
        row = None
    except sqlite3.Error:
        return unidentified("embedded")
    finally:
        connection.close()
    if row is not None:
        return f"embedded:generation:{row[0]}"
    return f"embedded:file:{stat.st_size}:{stat.st_mtime_ns}"


def oracle_identity(dsn: str, user: str) -> str:
    """The identity of the Oracle ledger: the DSN and the user (unquoted Oracle names are upper case)."""
    return f"oracle:{dsn}:{user.upper()}"
