"""`roa2web db upgrade` as the operator runs it (a subprocess), and migrations added by a later release."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from roa2web.appdb import Migration
from roa2web.appdb.installation import MIGRATIONS as INSTALLATION_MIGRATIONS
from roa2web.appdb.part import DatabasePart
from roa2web.auth.store import MIGRATIONS as AUTH_MIGRATIONS
from roa2web.chats.store import MIGRATIONS as TELEGRAM_MIGRATIONS
from roa2web.data_entry.store.migrations import MIGRATIONS as DATA_ENTRY_MIGRATIONS
from roa2web.jobs.consumers import MIGRATIONS as QUEUE_CONSUMERS_MIGRATIONS
from roa2web.jobs.store import MIGRATIONS as JOBS_MIGRATIONS
from roa2web.rates.store import MIGRATIONS as EXCHANGE_RATES_MIGRATIONS
from roa2web.settings import load_settings

CODE_VERSIONS = {
    "app.db": {"auth": AUTH_MIGRATIONS, "exchange_rates": EXCHANGE_RATES_MIGRATIONS, "jobs": JOBS_MIGRATIONS,
               "queue_consumers": QUEUE_CONSUMERS_MIGRATIONS, "installation": INSTALLATION_MIGRATIONS,
               "telegram": TELEGRAM_MIGRATIONS},
    "receipts.db": {"data_entry": DATA_ENTRY_MIGRATIONS},
}


def roa2web(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def env(data_dir: Path, tmp_path: Path, demo_ledger_path: Path) -> dict[str, str]:
    values = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "DATA_"))}
    values.update(DATA_DIR=str(data_dir), LEDGER_PATH=str(demo_ledger_path),
                  ROA2WEB_ENV_FILE=str(tmp_path / "none.env"), OCR_ENABLED="false")
    return values


def versions(path: Path) -> list[tuple[str, int, str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT component, version, name, applied_at FROM schema_versions "
                          "ORDER BY component, version").fetchall()


def expected_versions(path: Path) -> list[tuple[str, int]]:
    return sorted((component, m.version) for component, ms in CODE_VERSIONS[path.name].items() for m in ms)


def test_upgrade_creates_every_schema_on_a_fresh_data_dir_and_is_idempotent(env, data_dir):
    first = roa2web(env, "db", "upgrade")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "app_db: up to date" in first.stdout and "data_entry_db: up to date" in first.stdout
    recorded = {name: versions(data_dir / name) for name in CODE_VERSIONS}
    for name, rows in recorded.items():
        assert [(component, version) for component, version, _, _ in rows] == expected_versions(data_dir / name)

    second = roa2web(env, "db", "upgrade")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Traceback" not in second.stderr
    assert {name: versions(data_dir / name) for name in CODE_VERSIONS} == recorded  # nothing applied twice


def test_a_migration_added_later_is_applied_to_an_existing_database(env, data_dir):
    assert roa2web(env, "db", "upgrade").returncode == 0
    added = roa2web(env, "users", "add", "maria", "--role", "operator", "--password-stdin", stdin="parola-lunga-1\n")
    assert added.returncode == 0, added.stderr
    later = Migration(len(AUTH_MIGRATIONS) + 1, "users: phone number",
                      ("ALTER TABLE users ADD COLUMN phone TEXT",
                       "UPDATE users SET phone = '0700000000' WHERE username = 'maria'"))
    settings = load_settings(data_dir=data_dir, ocr_enabled=False)

    async def next_release_starts() -> None:  # what the server's database part does at startup
        part = DatabasePart("app_db", settings.app_database_url)
        part.add_migrations("auth", (*AUTH_MIGRATIONS, later))
        part.add_migrations("jobs", JOBS_MIGRATIONS)
        part.add_migrations("queue_consumers", QUEUE_CONSUMERS_MIGRATIONS)
        await part.start()
        await part.stop()

    asyncio.run(next_release_starts())
    rows = versions(data_dir / "app.db")
    assert ("auth", later.version, later.name) in [(c, v, n) for c, v, n, _ in rows]
    with sqlite3.connect(data_dir / "app.db") as db:
        assert db.execute("SELECT username, phone FROM users").fetchall() == [("maria", "0700000000")]

    asyncio.run(next_release_starts())  # applied once only
    assert versions(data_dir / "app.db") == rows
    # the release that does not know the new version yet still upgrades (forward only) and keeps the data
    again = roa2web(env, "db", "upgrade")
    assert again.returncode == 0, again.stdout + again.stderr
    assert versions(data_dir / "app.db") == rows
    listed = roa2web(env, "users", "list")
    assert listed.returncode == 0 and any(line.startswith("maria") for line in listed.stdout.splitlines())
