"""`roa2web serve` as a real process: ready quickly, shuts down cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.ports import free_port as free_port


def wait_ready(port: int, timeout_s: float = 120) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise AssertionError("server never became ready")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX SIGTERM; Windows stops the service with CTRL_BREAK")
def test_serve_ready_then_graceful_sigterm(tmp_path: Path, demo_ledger_path: Path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("ORACLE_")}
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        LEDGER_PATH=str(demo_ledger_path),
        PORT=str(port),
        ROA2WEB_ENV_FILE=str(tmp_path / "none.env"),
        LOG_FORMAT="json",
        OCR_ENABLED="false",
        BNR_RATES_ENABLED="false",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "roa2web", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_ready(port)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/health", headers={"X-Request-ID": "serve-health-1"})
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - http on 127.0.0.1
            health = json.load(response)
            assert response.headers["X-Request-ID"] == "serve-health-1"
        assert health["modules"]["ledger"]["status"] == "ok"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert any("SIGTERM" in message for message in messages)
    assert any(message == "stopped" for message in messages)
    assert all({"time", "level", "module", "request_id"} <= set(line) for line in lines)
    access = [line for line in lines if line["logger"] == "hypercorn.access"]
    assert access
    # every access line carries the request's real id (never the "-" of lines outside a request)
    assert all(line["request_id"] != "-" and re.fullmatch(r"[A-Za-z0-9._-]{1,64}", line["request_id"])
               for line in access), access
    assert "serve-health-1" in {line["request_id"] for line in access}
