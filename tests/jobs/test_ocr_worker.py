"""Where the OCR engine lives: only in a process that consumes the queue. A web process with
QUEUE_IN_PROCESS=false queues OCR uploads for `roa2web worker`; a failed engine refuses uploads."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest
from quart.datastructures import FileStorage
from queue_helpers import jobs_of, queue_ready, wait_for
from server_process import process_env, start

from roa2web.app import create_app
from roa2web.jobs.store import JobState
from tests.conftest import add_user, admin_headers, login
from tests.support.data_entry import wait_for as wait_until
from tests.support.receipt_images import receipt_sample

OCR = "/api/data-entry/ocr"


def photo(data: bytes) -> dict[str, FileStorage]:
    return {"photo": FileStorage(io.BytesIO(data), filename="bon.jpg")}


async def operator_headers(app) -> dict[str, str]:
    await add_user(app, "ana", roles={"operator"}, company_ids={2})
    return await login(app.test_client(), "ana")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="stops the worker with SIGTERM")
async def test_the_web_process_queues_ocr_and_the_worker_reads_it(queue_settings, tmp_path, demo_ledger_path):
    settings = queue_settings(ocr_enabled=True, queue_in_process=False)
    app = create_app(settings)
    runtime = app.extensions["roa2web"]
    assert runtime.services.ocr is None and "ocr" not in [part.name for part in runtime.parts]  # no engine here
    async with app.test_app():
        client = app.test_client()
        headers = await operator_headers(app)
        sample = receipt_sample(20, "clean")
        response = await client.post(OCR, form={"company_id": "2"}, files=photo(sample.data), headers=headers)
        assert response.status_code == 202, await response.get_data()
        accepted = await response.get_json()
        assert (await jobs_of(app).get(accepted["job_id"])).state == JobState.QUEUED
        assert "ocr" not in (await runtime.health())["modules"]

        env = process_env(settings.data_dir, demo_ledger_path, OCR_ENABLED="true")
        worker = start(["worker", "--threads", "1"], env, tmp_path / "worker.log")
        try:
            done = await wait_for(jobs_of(app), accepted["job_id"], timeout_s=120)
            assert done.state == JobState.DONE, (tmp_path / "worker.log").read_text(encoding="utf-8")[-3000:]
            assert done.worker.split(":")[1] == str(worker.pid)
        finally:
            worker.terminate()
            await asyncio.to_thread(worker.wait, 60)
        status = await (await client.get(f"{OCR}/{accepted['job_id']}", headers=headers)).get_json()
        assert status["state"] == "done" and status["receipt"]["supplier_name"] == sample.truth.supplier_name


async def test_an_engine_that_failed_to_load_refuses_uploads_with_503(queue_settings):
    app = create_app(queue_settings(ocr_enabled=True, ocr_engine="paddleocr"))  # not installed in this venv
    runtime = app.extensions["roa2web"]
    async with app.test_app():
        await queue_ready(app)
        client = app.test_client()
        headers = await operator_headers(app)
        admin = await admin_headers(app)

        async def engine_failed():
            ocr = (await (await client.get("/health", headers=admin)).get_json())["modules"]["ocr"]
            return ocr if ocr["state"] == "error" else None

        ocr = await wait_until(engine_failed, timeout_s=30)
        assert ocr["status"] == "down" and "paddleocr" in ocr["error"]

        response = await client.post(OCR, form={"company_id": "2"}, files=photo(receipt_sample(0, "clean").data),
                                     headers=headers)
        assert response.status_code == 503, await response.get_data()
        assert response.content_type == "application/problem+json" and int(response.headers["Retry-After"]) > 0
        body = await response.get_json()
        assert body["type"].endswith("/ocr-engine-error") and "nu a pornit" in body["detail"]
        assert await jobs_of(app).list() == []  # nothing queued that could only fail
        assert not (runtime.settings.data_dir / "receipts").exists()  # and no draft created


async def test_ocr_jobs_get_their_attempts_from_queue_max_attempts(queue_settings):
    app = create_app(queue_settings(queue_max_attempts=5, queue_in_process=False))  # nobody runs the job
    async with app.test_app():
        job = await jobs_of(app).submit("ocr", {"run_id": "r1", "receipt_id": "b1"}, owner_id="u1", company_id=2)
        assert job.max_attempts == 5
