"""Jobs through the real in-process consumer threads: progress, retries, failures, cancel, stats."""

from __future__ import annotations

import asyncio

import pytest
from queue_helpers import jobs_of, marker_lines, queue_ready, stats_flushed, wait_for

from roa2web.app import create_app
from roa2web.jobs.service import JobStateError, UnknownJobKind
from roa2web.jobs.store import JobState
from tests.conftest import admin_headers


async def test_job_goes_queued_running_done_with_progress(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_steps", {"steps": 5, "step_s": 0.12, "marker": str(marker)},
                               owner_id="u1", company_id=1)
    assert job.state == JobState.QUEUED and job.attempts == 0 and job.owner_id == "u1" and job.company_id == 1

    seen = []
    done = await wait_for(service, job.id, seen=seen)
    assert done.state == JobState.DONE
    assert done.result_ref == f"steps:{job.id}"
    assert done.progress == 100 and done.message == "Finalizat"
    assert done.attempts == 1 and done.error is None
    assert done.started_at is not None and done.finished_at is not None and done.finished_at >= done.started_at
    running = [observed for observed in seen if observed.state == JobState.RUNNING]
    assert running, "the job was never observed running"
    moving = sorted({observed.progress for observed in running})
    assert len(moving) >= 2 and any(0 < percent < 100 for percent in moving), moving
    assert any(observed.message.startswith("Pasul") for observed in running)
    assert marker_lines(marker) == [f"{job.id} 1 start", f"{job.id} 1 end"]


async def test_transient_failure_retries_with_backoff_then_fails(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_flaky", {"marker": str(marker)})
    assert job.max_attempts == 3  # from the handler's registration

    seen = []
    failed = await wait_for(service, job.id, seen=seen)
    assert failed.state == JobState.FAILED
    assert failed.attempts == 3
    assert failed.error == "TransientJobError: ledger busy (attempt 3) (after 3 attempts)"
    assert failed.message == "Eșuat: ledger busy (attempt 3)"  # the handler's own words, no class name
    assert [line.split()[1] for line in marker_lines(marker)] == ["1", "2", "3"]
    assert any(observed.state == JobState.QUEUED and observed.attempts >= 1 and observed.run_after for observed in seen)
    assert (await service.list(state="failed"))[0].id == job.id


async def test_an_interrupted_attempt_is_given_back_even_the_last_one(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_interrupted", {"marker": str(marker), "interruptions": 2})
    seen = []
    done = await wait_for(service, job.id, seen=seen)
    assert (done.state, done.attempts, done.result_ref) == (JobState.DONE, 1, "interrupted:ok")
    assert [line.split()[1:] for line in marker_lines(marker)] == [["1", "start"]] * 3  # each run was attempt 1
    given_back = [observed for observed in seen if observed.state == JobState.QUEUED and observed.error]
    assert all(observed.attempts == 0 and "closed" in observed.error for observed in given_back)


async def test_transient_failure_then_success(queue_app, tmp_path):
    service = jobs_of(queue_app)
    job = await service.submit("test_flaky", {"succeed_on": 2})
    done = await wait_for(service, job.id)
    assert (done.state, done.attempts, done.result_ref, done.error) == (JobState.DONE, 2, "flaky:ok", None)


@pytest.mark.parametrize(("params", "error", "message"), [
    ({}, "PermanentJobError: raportul cerut nu există", "Eșuat: raportul cerut nu există"),
    # a defect's text is the operator's (error, the log); people read only that the job failed
    ({"crash": True}, "ZeroDivisionError: division by zero in a handler", "Eșuat"),
])
async def test_other_failures_fail_at_once(queue_app, tmp_path, params, error, message):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_broken", {**params, "marker": str(marker)})
    failed = await wait_for(service, job.id)
    assert (failed.state, failed.attempts, failed.error, failed.message) == (JobState.FAILED, 1, error, message)
    assert len(marker_lines(marker)) == 1


async def test_operator_retry_runs_a_failed_job_again(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_broken", {"marker": str(marker)})
    await wait_for(service, job.id)
    again = await service.retry(job.id)
    assert again.state == JobState.QUEUED and again.attempts == 0 and again.error is None
    failed = await wait_for(service, job.id)
    assert failed.state == JobState.FAILED and failed.attempts == 1
    assert len(marker_lines(marker)) == 2
    done_job = await service.submit("test_steps", {"steps": 1})
    await wait_for(service, done_job.id)
    with pytest.raises(JobStateError, match="se pot relua doar lucrările eșuate sau anulate") as refused:
        await service.retry(done_job.id)
    assert (refused.value.job_id, refused.value.state, refused.value.action) == (done_job.id, JobState.DONE, "retry")


async def test_cancel_a_running_job(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_steps", {"steps": 200, "step_s": 0.05, "marker": str(marker)})
    await wait_for(service, job.id, JobState.RUNNING)
    asked = await service.cancel(job.id)
    assert asked.state == JobState.RUNNING and asked.cancel_requested
    cancelled = await wait_for(service, job.id)
    assert cancelled.state == JobState.CANCELLED and cancelled.message == "Anulat"
    assert marker_lines(marker) == [f"{job.id} 1 start"]  # it stopped before its end
    with pytest.raises(JobStateError, match="se pot anula doar lucrările în așteptare sau în lucru"):
        await service.cancel(job.id)


async def test_cancel_a_queued_job_revokes_its_message(queue_settings, tmp_path):
    app = create_app(queue_settings(queue_in_process=False))
    async with app.test_app():
        service = jobs_of(app)
        marker = tmp_path / "runs.txt"
        job = await service.submit("test_steps", {"marker": str(marker)})
        assert await asyncio.to_thread(service.queue.counts) == {"pending": 1, "scheduled": 0}
        cancelled = await service.cancel(job.id)
        assert cancelled.state == JobState.CANCELLED and cancelled.finished_at is not None
        assert await asyncio.to_thread(service.queue.huey.is_revoked, job.task_id)
    consuming = create_app(queue_settings())
    async with consuming.test_app():
        await queue_ready(consuming)
        service = jobs_of(consuming)
        deadline = asyncio.get_running_loop().time() + 60
        while (await asyncio.to_thread(service.queue.counts))["pending"]:
            assert asyncio.get_running_loop().time() < deadline, "the revoked message was never dequeued"
            await asyncio.sleep(0.05)
        assert (await service.get(job.id)).state == JobState.CANCELLED
    assert marker_lines(marker) == []


async def test_unknown_kind_is_refused(queue_app):
    with pytest.raises(UnknownJobKind):
        await jobs_of(queue_app).submit("no_such_kind", {})


async def test_summary_counts_jobs_and_huey_stats(queue_app):
    service = jobs_of(queue_app)
    ok = [await service.submit("test_steps", {"steps": 1}) for _ in range(3)]
    bad = await service.submit("test_broken", {})
    for job in [*ok, bad]:
        await wait_for(service, job.id)
    figures = await stats_flushed(service, {"test_steps": 3, "test_broken": 1})
    assert figures["jobs"]["done"] == 3 and figures["jobs"]["failed"] == 1
    assert figures["backend"] == {"kind": "sqlite", "queue": "roa2web", "reachable": True, "error": None}
    assert (figures["pending"], figures["scheduled"]) == (0, 0)
    tasks = {row["task"]: row for row in figures["tasks"]}
    assert tasks["test_steps"]["completed"] == 3 and tasks["test_steps"]["errors"] == 0
    assert tasks["test_steps"]["mean_s"] > 0 and tasks["test_steps"]["p95_s"] >= tasks["test_steps"]["mean_s"] * 0.5
    assert tasks["test_broken"]["errors"] == 1
    assert figures["workers_alive"] == figures["workers_total"] == 2
    assert {row["id"] for row in figures["recent"]} >= {job.id for job in [*ok, bad]}
    assert sum(minute["completed"] for minute in figures["throughput"]) >= 3
    assert figures["kinds"]["test_steps"]["done"] == 3


async def test_health_reports_the_queue(queue_app):
    client = queue_app.test_client()
    body = await (await client.get("/health", headers=await admin_headers(queue_app))).get_json()
    queue = body["modules"]["queue"]
    assert queue["status"] == "ok"
    assert queue["reachable"] is True and queue["backend"] == "sqlite"
    assert queue["depth"] == 0 and queue["running"] == 0 and queue["oldest_queued_age_s"] is None
    assert (queue["workers"], queue["workers_alive"], queue["workers_busy"]) == (2, 2, 0)  # the scheduler is no worker
    assert queue["scheduler_alive"] is True


async def test_consumer_off_is_reported_and_jobs_wait(queue_settings):
    app = create_app(queue_settings(queue_in_process=False))
    async with app.test_app():
        await queue_ready(app)
        service = jobs_of(app)
        job = await service.submit("test_steps", {})
        await asyncio.sleep(0.2)
        assert (await service.get(job.id)).state == JobState.QUEUED
        queue = (await app.extensions["roa2web"].health())["modules"]["queue"]
        assert queue["status"] == "degraded" and queue["depth"] == 1 and queue["queued"] == 1
        assert queue["oldest_queued_age_s"] >= 0.2 and queue["workers_alive"] == 0
