"""L2: responses in a SQLite file (WAL), shared by threads and processes, kept past expiry for STALE.

Each thread gets its own connection. A single read costs the same either way, but with one
locked connection a reader waits behind another thread's commit and WAL checkpoint: read p99
27-200 ms against 0.3-0.45 ms per thread while a thread writes, and 4 reader threads managed
50-88k reads/s against 77-97k (`scripts/bench/cache_inprocess.py --connections`).
Connections of finished threads are closed when the next one opens; `close()` closes the rest.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from roa2web.cache.entry import CachedResponse

SCHEMA = """
CREATE TABLE IF NOT EXISTS cache_entries (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    etag TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL,
    report TEXT NOT NULL,
    company_id INTEGER
);
CREATE INDEX IF NOT EXISTS cache_entries_company_report ON cache_entries (company_id, report);
CREATE INDEX IF NOT EXISTS cache_entries_report ON cache_entries (report);
CREATE INDEX IF NOT EXISTS cache_entries_expires ON cache_entries (expires);
CREATE TABLE IF NOT EXISTS cache_ledgers (
    location TEXT PRIMARY KEY,
    tag TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cache_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
SELECT_ONE = "SELECT value, etag, created, expires, report, company_id FROM cache_entries WHERE key = ?"
UPSERT = (
    "INSERT OR REPLACE INTO cache_entries (key, value, etag, created, expires, report, company_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
DELETE_ONE = "DELETE FROM cache_entries WHERE key = ?"
DELETE_MATCHING = (
    "DELETE FROM cache_entries WHERE (:company_id IS NULL OR company_id = :company_id)"
    " AND (:report IS NULL OR report = :report) RETURNING key"
)
DELETE_EXPIRED_BEFORE = "DELETE FROM cache_entries WHERE expires < ?"
TOTALS = "SELECT count(*), coalesce(sum(length(value)), 0), count(*) FILTER (WHERE expires <= ?) FROM cache_entries"
BY_REPORT = (
    "SELECT report, count(*), coalesce(sum(length(value)), 0), count(*) FILTER (WHERE expires <= ?)"
    " FROM cache_entries GROUP BY report ORDER BY report"
)
REMEMBER_LEDGER = "INSERT OR REPLACE INTO cache_ledgers (location, tag) VALUES (?, ?)"
LEDGER_TAG = "SELECT tag FROM cache_ledgers WHERE location = ?"
SET_META = "INSERT OR REPLACE INTO cache_meta (key, value) VALUES (?, ?)"
GET_META = "SELECT value FROM cache_meta WHERE key = ?"
BY_COMPANY = "SELECT company_id, count(*) FROM cache_entries GROUP BY company_id ORDER BY company_id"

BUSY_TIMEOUT_S = 5.0
MMAP_BYTES = 256 * 1024 * 1024  # memory-mapped reads (scripts/bench/cache_inprocess.py)


class StoreClosedError(RuntimeError):
    """The L2 store was used after `close()`."""


class SqliteTier:
    """The cache table in one SQLite file; every method may be called from any thread."""

    def __init__(self, path: Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._lock = threading.Lock()  # guards _connections and _closed
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._closed = False
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = self._connection()
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, timeout=self._busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        return connection

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and not self._closed:
            return connection
        with self._lock:
            if self._closed:
                raise StoreClosedError(f"cache store {self.path} is closed")
            finished = [pair for pair in self._connections if not pair[0].is_alive()]
            for pair in finished:
                self._connections.remove(pair)
                pair[1].close()
            connection = self._open()
            self._connections.append((threading.current_thread(), connection))
        self._local.connection = connection
        return connection

    def get(self, key: str) -> CachedResponse | None:
        """The entry under `key`, fresh or expired, else None."""
        row = self._connection().execute(SELECT_ONE, (key,)).fetchone()
        return None if row is None else CachedResponse(*row)

    def put(self, key: str, entry: CachedResponse) -> None:
        """Store `entry` under `key`, replacing what was there."""
        self._connection().execute(
            UPSERT, (key, entry.body, entry.etag, entry.created, entry.expires, entry.report, entry.company_id)
        )

    def remember_ledger(self, location: str, tag: str) -> None:
        """Record `tag` as the generation last read at the ledger `location`."""
        self._connection().execute(REMEMBER_LEDGER, (location, tag))

    def ledger_tag(self, location: str) -> str | None:
        """The tag of the generation last read at the ledger `location`, if any."""
        row = self._connection().execute(LEDGER_TAG, (location,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Remember `value` under `key` beside the entries (e.g. the last cache-bus message applied)."""
        self._connection().execute(SET_META, (key, value))

    def meta(self, key: str) -> str | None:
        """The value remembered under `key`, if any."""
        row = self._connection().execute(GET_META, (key,)).fetchone()
        return None if row is None else str(row[0])

    def delete(self, key: str) -> None:
        """Remove the entry under `key` if present."""
        self._connection().execute(DELETE_ONE, (key,))

    def invalidate(self, company_id: int | None = None, report: str | None = None) -> set[str]:
        """Remove the entries of `company_id` and/or `report` (None matches any) and return their keys."""
        rows = self._connection().execute(DELETE_MATCHING, {"company_id": company_id, "report": report})
        return {key for (key,) in rows.fetchall()}

    def delete_expired_before(self, cutoff: float) -> int:
        """Remove entries that expired before `cutoff` (epoch seconds); return how many."""
        return self._connection().execute(DELETE_EXPIRED_BEFORE, (cutoff,)).rowcount

    def figures(self, now: float) -> tuple[int, int, int]:
        """(entries, body bytes, expired entries) at `now`."""
        entries, size, expired = self._connection().execute(TOTALS, (now,)).fetchone()
        return int(entries), int(size), int(expired)

    def summary(self, now: float) -> dict[str, Any]:
        """Totals plus per-report and per-company counts, JSON-ready (company None is "-")."""
        connection = self._connection()
        entries, size, expired = self.figures(now)
        reports = {
            report: {"entries": count, "bytes": report_size, "expired": report_expired}
            for report, count, report_size, report_expired in connection.execute(BY_REPORT, (now,))
        }
        companies = {
            "-" if company_id is None else str(company_id): count
            for company_id, count in connection.execute(BY_COMPANY)
        }
        return {
            "path": str(self.path),
            "entries": entries,
            "bytes": size,
            "expired": expired,
            "reports": reports,
            "companies": companies,
        }

    def close(self) -> None:
        """Close every thread's connection; later calls raise StoreClosedError."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for _, connection in connections:
            connection.close()
