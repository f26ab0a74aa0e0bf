"""Scale-out on the real Redis at 127.0.0.1: the export flow, and a standalone `roa2web worker`."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import sys
from collections.abc import Iterator

import openpyxl
import pytest
from queue_helpers import jobs_of, queue_ready, stats_flushed, wait_for
from server_process import process_env, run_cli, start, wait_for_line

from roa2web.app import create_app
from roa2web.exports.service import REPORT_EXPORT_JOB as KIND
from roa2web.jobs.store import JobState
from tests.support.redis_queue import REDIS_URL, redis_queue

pytestmark = pytest.mark.redis
TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own on the shared Redis; its keys are deleted afterwards."""
    with redis_queue("test") as name:
        yield name


def _export(report, fmt, params):
    """The params of an export job (not validated here: the slow report exists in the worker only)."""
    return {"report": report, "format": fmt, "params": params}


async def test_export_flow_on_redis(queue_settings, queue_name):
    app = create_app(queue_settings(queue_backend="redis", queue_url=REDIS_URL, queue_name=queue_name))
    async with app.test_app():
        await queue_ready(app)
        service = jobs_of(app)
        job = await service.submit(KIND, _export("trial_balance", "xlsx", TB), owner_id="u1", company_id=1)
        done = await wait_for(service, job.id)
        assert (done.state, done.attempts) == (JobState.DONE, 1)
        path = app.extensions["roa2web"].settings.data_path("exports", done.result_ref)
        rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
        assert rows[-1][0] == "TOTAL"
        figures = await stats_flushed(service, {"report_export": 1})
        assert figures["backend"]["kind"] == "redis" and figures["backend"]["reachable"] is True
        completed = {row["task"]: row["completed"] for row in figures["tasks"] if row["task"] != "housekeeping"}
        assert completed == {"report_export": 1}  # housekeeping runs too when the clock is on a quarter hour
        assert figures["workers_alive"] == figures["workers_total"] == 2
        health = (await app.extensions["roa2web"].health())["modules"]["queue"]
        assert health["status"] == "ok" and health["backend"] == "redis" and health["depth"] == 0
        assert await asyncio.to_thread(service.queue.huey.storage.conn.ttl,
                                       service.queue.huey.storage.result_key(job.task_id)) > 0  # results expire


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM; CTRL_BREAK is handled the same way on Windows")
async def test_standalone_worker_consumes_and_stops_gracefully(queue_settings, queue_name, tmp_path,
                                                                 demo_ledger_path):
    settings = queue_settings(queue_backend="redis", queue_url=REDIS_URL, queue_name=queue_name,
                              queue_in_process=False)  # the slow report is imported by the worker only
    env = process_env(settings.data_dir, demo_ledger_path, QUEUE_BACKEND="redis", QUEUE_URL=REDIS_URL,
                      QUEUE_NAME=queue_name)
    app = create_app(settings)  # the web side: no consumer in it
    async with app.test_app():
        service = jobs_of(app)
        worker = start(["worker", "--threads", "2"], env, tmp_path / "worker.log")
        try:
            first = await service.submit(KIND, _export("trial_balance", "pdf", TB))
            done = await wait_for(service, first.id, timeout_s=60)
            assert done.state == JobState.DONE and done.worker.split(":")[1] == str(worker.pid)

            dashboard = await asyncio.to_thread(run_cli, ["queue", "dashboard", "--once", "--json"], env)
            figures = json.loads(dashboard.stdout)
            assert figures["backend"]["kind"] == "redis" and figures["jobs"]["done"] == 1
            assert [(c["pid"], c["workers_alive"]) for c in figures["consumers"]] == [(worker.pid, 2)]

            marker = tmp_path / "builds.txt"
            slow = await service.submit(KIND, _export(
                "test_slow_report", "xlsx", {"company_id": 1, "seconds": 1.5, "rows": 10, "marker": str(marker)}))
            await asyncio.to_thread(wait_for_line, marker, "build 1")
            worker.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(worker.wait, 30) == 0
            finished = await service.get(slow.id)
            assert (finished.state, finished.attempts) == (JobState.DONE, 1)
            content = settings.data_path("exports", finished.result_ref).read_bytes()
            assert openpyxl.load_workbook(io.BytesIO(content)).active.max_row > 10
            after = json.loads((await asyncio.to_thread(run_cli, ["queue", "dashboard", "--once", "--json"],
                                                        env)).stdout)
            assert after["consumers"] == [] and after["jobs"]["done"] == 2
        finally:
            if worker.poll() is None:
                worker.kill()
    log = (tmp_path / "worker.log").read_text(encoding="utf-8")
    assert "SIGTERM received: shutting down gracefully" in log and "worker stopped" in log
