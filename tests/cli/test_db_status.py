"""`roa2web db status`: each app database's engine, size, journal mode and migrations; exit 1 while any is pending."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from roa2web.jobs.store import MIGRATIONS as JOBS_MIGRATIONS
from tests.support.cli_env import deployer_env

pytestmark = pytest.mark.slow


def roa2web(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_up_to_date_then_pending(tmp_path: Path, demo_ledger_path: Path):
    env = deployer_env(tmp_path, demo_ledger_path)
    data_dir = Path(env["DATA_DIR"])
    missing = roa2web(env, "db", "status")
    assert missing.returncode == 1 and "no database file yet, every migration pending" in missing.stdout
    assert not (data_dir / "app.db").exists()  # status never creates a database

    assert roa2web(env, "init").returncode == 0
    status = roa2web(env, "db", "status")
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith(f"app_db: sqlite:///{data_dir / 'app.db'} (sqlite, ") and "journal_mode wal" in lines[0]
    assert f"  jobs: applied {'1' if len(JOBS_MIGRATIONS) == 1 else f'1-{len(JOBS_MIGRATIONS)}'}, up to date" in lines
    assert any(line.startswith("data_entry_db: sqlite:///") for line in lines)
    assert lines[-1] == "every database is up to date"

    last = max(JOBS_MIGRATIONS, key=lambda migration: migration.version)
    with sqlite3.connect(data_dir / "app.db") as db:  # as if the database were from the release before
        db.execute("DELETE FROM schema_versions WHERE component = 'jobs' AND version = ?", (last.version,))
    db.close()
    pending = roa2web(env, "db", "status")
    assert pending.returncode == 1
    assert f"pending {last.version} ({last.name})" in pending.stdout
    assert pending.stdout.splitlines()[-1] == "migrations are pending: run `roa2web db upgrade`"
