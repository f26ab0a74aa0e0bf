"""A stop through the function Windows' console handler reaches: `ShutdownRequest.on_signal` with SIGBREAK.

NSSM stops the service with CTRL+C, then CTRL_BREAK; Python turns them into SIGINT and SIGBREAK and
calls the handler `roa2web serve` registered. Here the real server (subprocess, whole `serve` path)
runs an export that waits to be released; the registered handler is called with 21 (SIGBREAK on
Windows); the server stops listening, lets the running export finish, and exits 0.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from roa2web.stop_signals import ShutdownRequest, stop_signals
from tests.jobs.server_process import Client, create_admin, free_port, process_env, run_cli, wait_for_line, wait_ready
from tests.windows.console_break import SIGBREAK


def test_stop_signals_are_the_platforms():
    names = stop_signals()
    assert names[int(signal.SIGINT)] == "SIGINT" and names[int(signal.SIGTERM)] == "SIGTERM"
    assert (names.get(SIGBREAK) == "SIGBREAK") == hasattr(signal, "SIGBREAK")


async def test_on_signal_sets_the_stop_from_another_thread_with_the_signals_name(caplog):
    request = ShutdownRequest(asyncio.get_running_loop(), names={SIGBREAK: "SIGBREAK"})
    with caplog.at_level("INFO", logger="roa2web.server"):
        await asyncio.to_thread(request.on_signal, SIGBREAK, None)  # Python calls it on the main thread; any works
        await asyncio.wait_for(request.wait(), 10)
    assert [record.getMessage() for record in caplog.records] == ["SIGBREAK received: shutting down gracefully"]


def refused(port: int) -> bool:
    """Whether nothing answers /ready on `port` any more."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5):
            return False
    except OSError:
        return True


@pytest.mark.slow
def test_ctrl_break_through_the_registered_handler_stops_gracefully(tmp_path: Path, demo_ledger_path: Path):
    data, marker, release = tmp_path / "data", tmp_path / "builds.txt", tmp_path / "release"
    # the queue waits for running jobs far longer than this test needs: the export decides when it ends
    env = process_env(data, demo_ledger_path, QUEUE_SHUTDOWN_TIMEOUT_S="300")
    create_admin(env)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("ab") as output:
        server = subprocess.Popen([sys.executable, "-m", "tests.windows.console_break", "serve", "--port", str(port)],
                                  env=env, stdin=subprocess.PIPE, stdout=output, stderr=output)
    assert server.stdin is not None
    try:
        wait_ready(port, server)
        client = Client(port)
        status, body = client.call("POST", "/api/reports/exports", {
            "report": "test_slow_report", "format": "xlsx",
            "params": {"company_id": 1, "seconds": 0, "rows": 20, "marker": str(marker), "release": str(release)}})
        assert status == 202, body
        job_id = str(body["job_id"])
        wait_for_line(marker, "waiting")  # the export is running, held until `release` exists

        server.stdin.write(b"break\n")
        server.stdin.flush()
        deadline = time.monotonic() + 60
        while not refused(port):  # the listener closes first
            assert time.monotonic() < deadline, "the server kept answering after CTRL_BREAK"
            time.sleep(0.05)
        assert server.poll() is None  # still there: the running export is being waited for
        release.touch()
        assert server.wait(120) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    text = log.read_text(encoding="utf-8")
    assert "console_break: calling roa2web.stop_signals.ShutdownRequest.on_signal(21, None)" in text
    messages = [json.loads(line)["message"] for line in text.splitlines() if line.startswith("{")]
    stop_line = "SIGBREAK" if hasattr(signal, "SIGBREAK") else "signal 21"
    assert f"{stop_line} received: shutting down gracefully" in messages
    assert "All workers have stopped." in messages and messages[-1] == "stopped"
    wait_for_line(marker, "released")
    shown = run_cli(["queue", "show", job_id, "--json"], env)
    job = json.loads(shown.stdout)
    assert (job["state"], job["attempts"], job["progress"]) == ("done", 1, 100)  # finished, not lost or re-queued
    assert len(list((data / "exports" / job_id).iterdir())) == 1


async def test_a_second_signal_exits_at_once_only_where_asked(caplog):
    exits: list[int] = []
    worker = ShutdownRequest(asyncio.get_running_loop(), names={SIGBREAK: "SIGBREAK"}, second_exits=True,
                             exit_now=exits.append)
    server = ShutdownRequest(asyncio.get_running_loop(), names={SIGBREAK: "SIGBREAK"}, exit_now=exits.append)
    with caplog.at_level("INFO", logger="roa2web.server"):
        for request in (worker, server):
            request.on_signal(SIGBREAK, None)
            request.on_signal(SIGBREAK, None)
            await asyncio.wait_for(request.wait(), 10)
    assert exits == [1]  # the worker's second signal only
    assert [record.getMessage() for record in caplog.records] == [
        "SIGBREAK received: shutting down gracefully", "second SIGBREAK: exiting now",
        "SIGBREAK received: shutting down gracefully", "SIGBREAK received: shutting down gracefully"]
