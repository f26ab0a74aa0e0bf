"""`roa2web demo` onto the served ledger and `roa2web init --force` empty the report cache file they make stale."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from roa2web.cache import TwoTierCache
from roa2web.ledger.identity import LedgerIdentity

LEDGER = LedgerIdentity("embedded:/data/ledger-demo.sqlite", "embedded:generation:before")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "DATA_", "LEDGER_"))}
    env.update(DATA_DIR=str(tmp_path / "data"), ROA2WEB_ENV_FILE=str(tmp_path / "none.env"), OCR_ENABLED="false")
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "roa2web", *args], capture_output=True, text=True, env=env,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def fill_cache(data_dir: Path) -> None:
    cache = TwoTierCache(data_dir / "cache.db", ledger=LEDGER, l1_max_entries=10,
                         l1_ttl_s=60, stale_max_age_s=3600)
    try:
        for company_id in (1, 2, 3):
            cache.put("trial_balance", company_id, {"month_to": 6}, b"old figures", ttl_s=86400)
    finally:
        cache.close()


def cached_entries(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "cache.db")) as db:
        return int(db.execute("SELECT count(*) FROM cache_entries").fetchone()[0])


def test_demo_onto_the_served_ledger_clears_the_cache_and_elsewhere_does_not(env, tmp_path: Path):
    data_dir = tmp_path / "data"
    run(env, "demo", "--until", "2026-01", "--seed", "3", "--output", str(tmp_path / "elsewhere.sqlite"))
    fill_cache(data_dir)
    run(env, "demo", "--until", "2026-01", "--seed", "3", "--output", str(tmp_path / "elsewhere.sqlite"))
    assert cached_entries(data_dir) == 3  # not the ledger this data dir serves

    result = run(env, "demo", "--until", "2026-01", "--seed", "4")
    assert cached_entries(data_dir) == 0
    assert "report cache: removed 3 entries" in result.stdout


def test_init_force_clears_the_cache_and_a_plain_init_keeps_it(env, tmp_path: Path):
    data_dir = tmp_path / "data"
    run(env, "init", "--until", "2026-01")
    fill_cache(data_dir)
    run(env, "init")  # the ledger exists and stays: its cache is still good
    assert cached_entries(data_dir) == 3
    result = run(env, "init", "--force", "--until", "2026-01", "--seed", "9")
    assert cached_entries(data_dir) == 0
    assert "report cache: removed 3 entries" in result.stdout
