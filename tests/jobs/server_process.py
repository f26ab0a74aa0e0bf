"""`roa2web serve` / `roa2web worker` as real processes for the crash tests, and a tiny HTTP client."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.databases import database_parts
from roa2web.settings import load_settings
from tests.support.ports import free_port as free_port

PLUGINS = Path(__file__).resolve().parent / "plugins"
ADMIN_PASSWORD = "parola-admin-123"


def process_env(data_dir: Path, ledger: Path, **extra: str) -> dict[str, str]:
    """Environment for a server or worker on `data_dir`, with the test-only job kinds importable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(
        DATA_DIR=str(data_dir), LEDGER_PATH=str(ledger), ROA2WEB_ENV_FILE=str(data_dir.parent / "none.env"),
        OCR_ENABLED="false", BNR_RATES_ENABLED="false", LOG_FORMAT="json",
        PYTHONPATH=os.pathsep.join([str(PLUGINS), os.getcwd()]),
        QUEUE_HANDLER_MODULES="roa2web_test_slow_report,roa2web_test_jobs", QUEUE_MAX_DELAY_S="0.1",
        QUEUE_HEARTBEAT_S="0.5",
    )
    env.update(extra)
    return env


def create_admin(env: dict[str, str]) -> None:
    """Migrate the app database of `env` and add the admin user."""

    async def create() -> None:
        settings = load_settings(data_dir=Path(env["DATA_DIR"]), app_db_url=env.get("APP_DB_URL"))
        part = database_parts(settings)["app_db"]
        await part.start()
        try:
            await store.create_user(part.db, username="admin", display_name="Admin",
                                    password_hash=await hash_password(ADMIN_PASSWORD), roles=frozenset({"admin"}),
                                    company_ids=None)
        finally:
            await part.stop()

    asyncio.run(create())


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`python -m roa2web ARGS` with its output in `log`."""
    handle = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "roa2web", *args], env=env, stdout=handle, stderr=handle)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    """Until /ready answers 200 (fails early if the process died)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server never became ready")


class Client:
    """JSON over HTTP to a server on loopback, logged in as the admin."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        token = self.call("POST", "/api/auth/login", {"username": "admin", "password": ADMIN_PASSWORD})[1]
        self.headers = {"Authorization": f"Bearer {token['access_token']}"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, parsed JSON body)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,  # noqa: S310
                                         headers={"Content-Type": "application/json",
                                                  **getattr(self, "headers", {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def download(self, path: str) -> tuple[bytes, str]:
        """(bytes, Content-Disposition)."""
        request = urllib.request.Request(self.base + path, headers=self.headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.read(), response.headers["Content-Disposition"]

    def wait_job(self, job_id: str, *states: str, timeout_s: float = 30) -> dict[str, Any]:
        """Poll /api/tasks/{job_id} until its state is one of `states`."""
        deadline = time.monotonic() + timeout_s
        while True:
            status, body = self.call("GET", f"/api/tasks/{job_id}")
            assert status == 200, body
            if body["state"] in states:
                return dict(body)
            assert time.monotonic() < deadline, f"job {job_id} stuck: {body}"
            time.sleep(0.05)


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m roa2web ARGS`, output captured."""
    return subprocess.run([sys.executable, "-m", "roa2web", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def wait_for_line(path: Path, text: str, timeout_s: float = 20) -> None:
    """Until a file (a handler's marker) contains `text`."""
    deadline = time.monotonic() + timeout_s
    while not (path.exists() and text in path.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, f"{text!r} never appeared in {path}"
        time.sleep(0.02)
