"""The environment of a deployer's shell for `roa2web` subprocesses: none of this machine's settings but ours."""

from __future__ import annotations

import os
from pathlib import Path


def deployer_env(tmp_path: Path, demo_ledger_path: Path, **extra: str) -> dict[str, str]:
    """os.environ without ledger, data, files, queue, bind and secret settings; DATA_DIR under tmp_path, then extra.

    The data dir itself is not created: `roa2web init` does that (and `roa2web check` refuses a missing one).
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("ORACLE_", "DATA_", "FILES_", "QUEUE_"))
           and key not in ("HOST", "ENV", "JWT_SECRET_KEY")}
    env.update(DATA_DIR=str(tmp_path / "data"), LEDGER_PATH=str(demo_ledger_path),
               ROA2WEB_ENV_FILE=str(tmp_path / "none.env"), OCR_ENABLED="false", BNR_RATES_ENABLED="false",
               **extra)
    return env
