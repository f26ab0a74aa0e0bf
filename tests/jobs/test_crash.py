"""The real process: kill -9 in the middle of an export, restart, the export completes exactly once;
SIGTERM lets a running export finish; `roa2web queue dashboard --once` sees the live server."""

from __future__ import annotations

import io
import json
import signal
import sys

import openpyxl
import pytest
from server_process import Client, create_admin, free_port, process_env, run_cli, start, wait_for_line, wait_ready

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL/SIGTERM; the Windows service kit covers CTRL_BREAK"),
]


def slow_export(client: Client, marker, *, seconds: float, company_id: int = 1) -> str:
    status, body = client.call("POST", "/api/reports/exports", {
        "report": "test_slow_report", "format": "xlsx",
        "params": {"company_id": company_id, "seconds": seconds, "rows": 50, "marker": str(marker)}})
    assert status == 202, body
    return str(body["job_id"])


def test_kill_9_mid_export_then_restart_completes_exactly_once(tmp_path, demo_ledger_path):
    data, marker = tmp_path / "data", tmp_path / "builds.txt"
    env = process_env(data, demo_ledger_path)
    create_admin(env)
    port = free_port()
    first = start(["serve", "--port", str(port)], env, tmp_path / "first.log")
    try:
        wait_ready(port, first)
        client = Client(port)
        job_id = slow_export(client, marker, seconds=4)
        client.wait_job(job_id, "running")
        wait_for_line(marker, "build 1")  # the export is inside its slow report
        first.send_signal(signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    job_dir = data / "exports" / job_id
    assert not job_dir.exists() or not [path for path in job_dir.iterdir() if path.suffix == ".xlsx"]

    port = free_port()
    second = start(["serve", "--port", str(port)], env, tmp_path / "second.log")
    try:
        wait_ready(port, second)
        client = Client(port)
        done = client.wait_job(job_id, "done", "failed")
        assert done["state"] == "done" and done["attempts"] == 2, done
        assert marker.read_text(encoding="utf-8").splitlines() == ["build 1", "build 1"]  # one killed, one finished
        outputs = list(job_dir.iterdir())  # one finished file, no temporary left by the killed attempt
        assert len(outputs) == 1 and outputs[0].name.startswith("raport-lent-de-test_ALFA-COMERT_")
        assert outputs[0].suffix == ".xlsx"
        _, export = client.call("GET", f"/api/reports/exports/{job_id}")
        content, disposition = client.download(export["downloads"]["xlsx"])
        assert "raport-lent-de-test_ALFA-COMERT_" in disposition
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert rows[-1][0] == "TOTAL" and rows[-1][3] == pytest.approx(sum(i + 0.5 for i in range(1, 51)))

        failing = slow_export(client, marker, seconds=0, company_id=999)  # not in the ledger: fails for good
        failed = client.wait_job(failing, "failed")
        assert failed["error"] == "PermanentJobError: Firma 999 nu există în contabilitate."
        assert failed["message"] == "Eșuat: Firma 999 nu există în contabilitate."  # what people read
        another = slow_export(client, marker, seconds=0)
        client.wait_job(another, "done")

        dashboard = run_cli(["queue", "dashboard", "--once", "--json"], env)
        assert dashboard.returncode == 0, dashboard.stderr
        figures = json.loads(dashboard.stdout)
        assert figures["jobs"] == {"queued": 0, "running": 0, "done": 2, "failed": 1, "cancelled": 0}
        assert (figures["workers_alive"], figures["workers_total"], len(figures["consumers"])) == (2, 2, 1)
        tasks = {row["task"]: row for row in figures["tasks"]}
        assert tasks["report_export"]["completed"] == 2 and tasks["report_export"]["errors"] == 1
        assert {row["id"]: row["state"] for row in figures["recent"]} == {
            job_id: "done", failing: "failed", another: "done"}
        text = run_cli(["queue", "dashboard", "--once"], env)
        assert text.returncode == 0 and "done 2" in text.stdout and "failed 1" in text.stdout
        assert "0 busy of 2 configured, 2 alive, in 1 consumer(s)" in text.stdout and "report_export" in text.stdout

        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
    finally:
        if second.poll() is None:
            second.kill()


def test_sigterm_lets_the_running_export_finish(tmp_path, demo_ledger_path):
    data, marker = tmp_path / "data", tmp_path / "builds.txt"
    env = process_env(data, demo_ledger_path)
    create_admin(env)
    port = free_port()
    server = start(["serve", "--port", str(port)], env, tmp_path / "server.log")
    try:
        wait_ready(port, server)
        client = Client(port)
        job_id = slow_export(client, marker, seconds=2)
        wait_for_line(marker, "build 1")
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.kill()
    shown = run_cli(["queue", "show", job_id, "--json"], env)
    job = json.loads(shown.stdout)
    assert (job["state"], job["attempts"], job["progress"]) == ("done", 1, 100)
    assert len(list((data / "exports" / job_id).iterdir())) == 1
    log = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "SIGTERM" in log and "All workers have stopped." in log
