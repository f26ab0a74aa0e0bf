"""A data dir made by `roa2web init` (its own demo ledger inside), and the deployer's environment for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli_env import deployer_env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m roa2web ARGS`, output captured, not checked."""
    return subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def env(tmp_path: Path, demo_ledger_path: Path) -> dict[str, str]:
    """A deployer's shell on tmp_path/data, the demo ledger inside it (as `roa2web init` makes it)."""
    values = deployer_env(tmp_path, demo_ledger_path)
    del values["LEDGER_PATH"]
    return values


@pytest.fixture
def data_dir(env: dict[str, str]) -> Path:
    """`roa2web init` done."""
    done = run(env, "init")
    assert done.returncode == 0, done.stderr
    return Path(env["DATA_DIR"])
