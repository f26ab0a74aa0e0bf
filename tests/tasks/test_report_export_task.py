"""The report export door (`tasks/exports.py`) on a real consumer: a bad export fails at once, a
file an earlier attempt finished is the result (the ledger is not read again)."""

from __future__ import annotations

from roa2web.app import create_app
from roa2web.exports.service import REPORT_EXPORT_JOB, validate_export
from roa2web.jobs.store import JobState
from tests.jobs.queue_helpers import queue_ready, wait_for

TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}
FAST = {"queue_max_delay_s": 0.1, "queue_retry_delay_s": 0.1, "ocr_enabled": False}


async def test_an_export_the_registry_refuses_fails_on_its_first_attempt(settings_factory):
    app = create_app(settings_factory(**FAST))
    async with app.test_app():
        await queue_ready(app)
        jobs = app.extensions["roa2web"].jobs
        job = await jobs.submit(REPORT_EXPORT_JOB, {"report": "nope", "format": "xlsx", "params": TB})
        failed = await wait_for(jobs, job.id)
    assert (failed.state, failed.attempts) == (JobState.FAILED, 1)
    assert failed.message.startswith("Eșuat: Nu există raportul 'nope'")
    assert failed.error is not None and failed.error.startswith("PermanentJobError: Nu există raportul 'nope'")


async def test_a_file_an_earlier_attempt_finished_is_the_result(settings_factory, tmp_path):
    settings = settings_factory(**FAST, queue_in_process=False)
    producer = create_app(settings)
    async with producer.test_app():
        job = await producer.extensions["roa2web"].jobs.submit(
            REPORT_EXPORT_JOB, validate_export("trial_balance", "xlsx", TB).job_params())
    written = settings.data_path("exports", job.id, "balanta.xlsx")
    written.parent.mkdir(parents=True)
    written.write_bytes(b"written before the process died")

    consumer = create_app(settings.model_copy(update={"queue_in_process": True,
                                                      "ledger_path": tmp_path / "no-ledger.sqlite"}))
    async with consumer.test_app():
        await queue_ready(consumer)
        done = await wait_for(consumer.extensions["roa2web"].jobs, job.id)
    assert (done.state, done.attempts, done.result_ref) == (JobState.DONE, 1, f"{job.id}/balanta.xlsx")
    assert written.read_bytes() == b"written before the process died"
