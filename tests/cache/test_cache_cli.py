"""`roa2web cache stats|clear` in a subprocess, against a cache file in a temp DATA_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from roa2web.cache import TwoTierCache
from roa2web.ledger.identity import LedgerIdentity

LEDGER = LedgerIdentity("embedded:/data/ledger-demo.sqlite", "test-ledger")


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATA_DIR": str(tmp_path / "data"), "ROA2WEB_ENV_FILE": str(tmp_path / "none.env")}
    return subprocess.run(
        [sys.executable, "-m", "roa2web", "cache", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def fill(tmp_path: Path) -> None:
    cache = TwoTierCache(tmp_path / "data" / "cache.db", ledger=LEDGER, l1_max_entries=10, l1_ttl_s=60,
                         stale_max_age_s=3600)
    try:
        cache.put("trial_balance", 1, {"period": 1}, b"a" * 2048, ttl_s=600)
        cache.put("trial_balance", 2, {"period": 1}, b"b" * 1024, ttl_s=600)
        cache.put("balance_sheet", 1, {"period": 1}, b"c" * 512, ttl_s=600)
        cache.put("vat", None, {"period": 1}, b"d", ttl_s=0.001)  # expired by the time the CLI starts
    finally:
        cache.close()


def test_stats_prints_entries_per_report_and_company(tmp_path: Path) -> None:
    fill(tmp_path)
    result = run_cli(tmp_path, "stats")
    assert result.returncode == 0, result.stderr
    assert "entries:    4 (1 expired" in result.stdout
    assert "trial_balance" in result.stdout and "balance_sheet" in result.stdout

    result = run_cli(tmp_path, "stats", "--json")
    summary = json.loads(result.stdout)
    assert (summary["entries"], summary["bytes"], summary["expired"]) == (4, 2048 + 1024 + 512 + 1, 1)
    assert summary["reports"]["trial_balance"] == {"entries": 2, "bytes": 3072, "expired": 0}
    assert summary["companies"] == {"-": 1, "1": 2, "2": 1}


def test_clear_by_company_then_by_report_then_all(tmp_path: Path) -> None:
    fill(tmp_path)
    result = run_cli(tmp_path, "clear", "--company-id", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed 2 entries (company 1)")
    assert run_cli(tmp_path, "clear", "--report", "vat").stdout.startswith("removed 1 entries (report vat)")
    assert run_cli(tmp_path, "clear").stdout.startswith("removed 1 entries (all)")
    assert json.loads(run_cli(tmp_path, "stats", "--json").stdout)["entries"] == 0


def test_stats_without_a_cache_file_creates_nothing(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "stats")
    assert (result.returncode, result.stdout.startswith("no report cache yet")) == (0, True)
    assert not (tmp_path / "data" / "cache.db").exists()
