"""A graceful stop drains the queue consumer while the parts its jobs use (OCR, databases) are still up."""

from __future__ import annotations

import asyncio
import io
import time

from quart.datastructures import FileStorage
from quart.testing.app import TestApp as QuartTestApp
from queue_helpers import jobs_of, queue_ready

from roa2web.app import create_app
from roa2web.data_entry.store import ocr_store
from roa2web.jobs.store import JobState
from roa2web.runtime import STOP_FIRST
from tests.conftest import add_user, login
from tests.support.receipt_images import receipt_sample

SEEDS = (0, 20, 28, 118, 113)
GRACE_S = 90  # the stop waits for running OCR jobs; Quart's test default (6 s) is too short on a busy machine


def test_the_queue_consumer_stops_before_every_part_it_uses(queue_settings):
    runtime = create_app(queue_settings(ocr_enabled=True)).extensions["roa2web"]
    order = [part.name for part in runtime.stop_order()]
    # The bot first (its handlers wait on jobs), then the queue consumer, then what they use.
    assert order[:2] == ["telegram", "queue"]
    assert next(p for p in runtime.parts if p.name == "queue").stop_priority == STOP_FIRST
    assert sorted(order) == sorted(part.name for part in runtime.parts)
    assert order.index("ocr") < order.index("data_entry_db") < order.index("app_db") < order.index("ledger")


async def ocr_job_states(app) -> dict[str, str]:
    jobs = await jobs_of(app).list(kind="ocr", limit=100)
    return {job.id: str(job.state) for job in jobs}


async def runs_read(app, job_ids) -> list[bool]:
    """Whether each job's run has its reading saved."""
    runtime = app.extensions["roa2web"]
    jobs = [await runtime.jobs.get(job_id) for job_id in job_ids]
    return [(await ocr_store.get_run(runtime.data_entry_db, job.params["run_id"])).read for job in jobs]


async def test_graceful_stop_with_ocr_jobs_running_fails_none_and_a_restart_finishes_them(queue_settings):
    settings = queue_settings(ocr_enabled=True, queue_workers=2, queue_shutdown_timeout_s=60.0)
    app = create_app(settings)
    async with QuartTestApp(app, shutdown_timeout=GRACE_S):
        await queue_ready(app)
        assert await app.extensions["roa2web"].ocr.wait_ready()
        client = app.test_client()
        await add_user(app, "ana", roles={"operator"}, company_ids={2})
        headers = await login(client, "ana")
        job_ids = []
        for seed in SEEDS:
            photo = {"photo": FileStorage(io.BytesIO(receipt_sample(seed, "clean").data), filename="bon.jpg")}
            response = await client.post("/api/data-entry/ocr", form={"company_id": "2"}, files=photo,
                                         headers=headers)
            assert response.status_code == 202, await response.get_data()
            job_ids.append((await response.get_json())["job_id"])
        deadline = time.monotonic() + 120  # stop while OCR jobs are running, with more waiting behind them
        while JobState.RUNNING not in (await ocr_job_states(app)).values():
            assert time.monotonic() < deadline, "no OCR job started"
            await asyncio.sleep(0.02)
    # the app is stopped (as at SIGTERM): running jobs finished, the rest wait for the next start
    app = create_app(settings)
    async with QuartTestApp(app, shutdown_timeout=GRACE_S):
        stopped = await ocr_job_states(app)
        assert set(stopped) == set(job_ids)
        assert set(stopped.values()) <= {"done", "queued"}, stopped
        assert "queued" in stopped.values(), "every job finished before the stop; the test proves nothing"
        assert [stopped[job_id] == "done" for job_id in job_ids] == await runs_read(app, job_ids)

        await queue_ready(app)
        for _ in range(1500):
            states = await ocr_job_states(app)
            if set(states.values()) <= {"done", "failed"}:
                break
            await asyncio.sleep(0.1)
        assert set(states.values()) == {"done"}, states
        assert all(await runs_read(app, job_ids))
