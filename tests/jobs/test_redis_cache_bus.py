"""Two `roa2web serve` processes on one Redis queue: an invalidation on one is seen by the other's cache,
and so is a ledger replaced under both."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from server_process import Client, create_admin, free_port, process_env, run_cli, start, wait_ready

from tests.support.redis_queue import REDIS_URL, redis_queue

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 11}
OTHER = {**TB, "company_id": 2}


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own on the shared Redis; its keys are deleted afterwards."""
    with redis_queue("test_cachebus") as name:
        yield name


def cache_status(client: Client, params: dict[str, Any]) -> str:
    """The X-Cache header of one trial-balance read."""
    request = urllib.request.Request(f"{client.base}/api/reports/trial-balance?{urlencode(params)}",  # noqa: S310
                                     headers=client.headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return str(response.headers["X-Cache"])


def cache_health(client: Client) -> dict[str, Any]:
    """The cache part of /health, as an admin sees it."""
    status, body = client.call("GET", "/health")
    assert status in (200, 503), body
    return dict(body["modules"]["cache"])


def part_status(port: int, part: str) -> str:
    """A part's status in /health as anyone sees it (no token)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            return str(json.loads(response.read())["modules"][part]["status"])
    except urllib.error.HTTPError as error:  # 503 while a required part is down
        return str(json.loads(error.read())["modules"][part]["status"])


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 20) -> float:
    """Poll `condition` until true; how long it took (seconds)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, f"{what}: not within {timeout_s} s"
        time.sleep(0.02)
    return time.monotonic() - started


def stop(server: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM (a hard stop on Windows) and the exit code."""
    if server.poll() is None:
        server.terminate()
    try:
        return server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        return None


def test_invalidation_on_one_instance_is_seen_by_the_other(tmp_path: Path, demo_ledger_path: Path,
                                                             postgres_database: str, queue_name: str) -> None:
    ledger = tmp_path / "ledger.sqlite"  # both read it; replaced below
    shutil.copyfile(demo_ledger_path, ledger)
    envs = [process_env(tmp_path / name / "data", ledger, QUEUE_BACKEND="redis", QUEUE_URL=REDIS_URL,
                        QUEUE_NAME=queue_name, APP_DB_URL=postgres_database, MODULE_DATA_ENTRY_ENABLED="false")
            for name in ("a", "b")]
    create_admin(envs[0])  # one app database for both, as the README's scale-out says
    ports = [free_port(), free_port()]
    servers: list[subprocess.Popen[bytes]] = []
    try:
        # One after the other: two first starts at once on a fresh PostgreSQL race on creating the
        # queue's stats tables (huey_event_id_seq exists), which is the queue's business, not the cache's.
        for port, env, name in zip(ports, envs, ("a", "b"), strict=True):
            servers.append(start(["serve", "--port", str(port)], env, tmp_path / f"{name}.log"))
            wait_ready(port, servers[-1])
            wait_until(lambda port=port: part_status(port, "queue") == "ok", "the queue starts (in the background)")
        a, b = Client(ports[0]), Client(ports[1])
        for client in (a, b):
            wait_until(lambda client=client: cache_health(client)["bus"]["connected"], "the bus connects")
            assert [cache_status(client, TB), cache_status(client, TB)] == ["MISS", "HIT-L1"]
            assert cache_status(client, OTHER) == "MISS"

        status, body = a.call("POST", "/api/reports/cache/invalidate", {"company_id": 1})
        assert (status, body["removed"]) == (200, 1), body
        seen_after_s = wait_until(lambda: cache_status(b, TB) == "MISS", "B recomputes after A's invalidation")
        print(f"B dropped company 1 {seen_after_s * 1000:.0f} ms after A's invalidation answered")
        assert cache_status(a, TB) == "MISS" and cache_status(b, TB) == "HIT-L1"
        assert cache_status(b, OTHER) == "HIT-L1"  # another company's copy is kept

        bus_a, bus_b = cache_health(a)["bus"], cache_health(b)["bus"]
        assert (bus_a["published"], bus_a["own"], bus_a["applied"]) == (1, 1, 0)
        assert (bus_b["published"], bus_b["applied"], bus_b["malformed"], bus_b["resyncs"]) == (0, 1, 0, 0)
        assert cache_health(b)["status"] == "ok"

        cleared = run_cli(["cache", "clear", "--report", "trial_balance"], envs[0])  # on A's machine
        assert cleared.returncode == 0, cleared.stdout + cleared.stderr
        assert "told the running instances over Redis" in cleared.stdout
        wait_until(lambda: cache_status(b, OTHER) == "MISS", "B drops the report the CLI cleared on A")
        assert cache_health(b)["bus"]["applied"] == 2

        served = cache_health(b)["ledger"]  # /health probes the ledger; only a report read or the bus rekeys
        replaced = run_cli(["demo", "--months", "2", "--until", "2026-01", "--seed", "7"], envs[0])
        assert replaced.returncode == 0, replaced.stdout + replaced.stderr
        wait_until(lambda: cache_health(b)["ledger"] != served, "B keys its cache on the new ledger")
        assert cache_health(b)["bus"]["ledger_changes"] == 1
    finally:
        codes = [stop(server) for server in servers]
    logs = [(tmp_path / f"{name}.log").read_text(encoding="utf-8") for name in ("a", "b")]
    if sys.platform != "win32":
        assert codes == [0, 0], logs
    for log in logs:
        assert "Traceback" not in log and "did not stop" not in log, log
