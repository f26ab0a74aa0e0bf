"""`roa2web rates import` and `show`, run as a deployer would (a subprocess), on a yearly file and a bad one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.cli_env import deployer_env
from tests.support.rates import DAILY, YEAR_2025


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_import_a_yearly_file_then_show_a_day(tmp_path: Path, demo_ledger_path: Path):
    env = deployer_env(tmp_path, demo_ledger_path)
    loaded = run("rates", "import", str(YEAR_2025), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 248 days and 1488 rates (2025-01-03 to 2025-12-31)" in loaded.stdout
    again = run("rates", "import", str(DAILY), env=env)
    assert "loaded 1 day and 6 rates (2026-12-04 to 2026-12-04)" in again.stdout

    shown = run("rates", "show", "--day", "2025-12-12", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "BNR reference rates of 2025-12-12" in shown.stdout
    assert "100 HUF" in shown.stdout and "EUR" in shown.stdout
    latest = run("rates", "show", env=env)
    assert "of 2026-12-04" in latest.stdout and "5.1133" in latest.stdout


def test_a_file_that_is_not_the_banks_is_refused_and_nothing_stored(tmp_path: Path, demo_ledger_path: Path):
    env = deployer_env(tmp_path, demo_ledger_path)
    page = tmp_path / "nbrfxrates2025.xml"
    page.write_text("<html><body>Pagina nu a fost găsită</body></html>", encoding="utf-8")
    refused = run("rates", "import", str(page), env=env)
    assert refused.returncode == 1
    assert "not a BNR reference-rate file" in refused.stderr
    missing = run("rates", "import", str(tmp_path / "absent.xml"), env=env)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    empty = run("rates", "show", env=env)
    assert empty.returncode == 1 and "no exchange rate stored yet" in empty.stdout
