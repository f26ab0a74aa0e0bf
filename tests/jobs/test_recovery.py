"""Jobs are the truth: lost messages are re-sent, orphaned jobs taken back, finished jobs never redone,
and a graceful stop lets a running job finish (or hands it back when the timeout is too short)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time

from queue_helpers import jobs_of, marker_lines, queue_ready, wait_for

from roa2web.app import create_app
from roa2web.jobs import transitions
from roa2web.jobs.store import JobState


def dead_pid() -> int:
    """The pid of a process that has already exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


async def claimed_by(app, worker: str, kind: str, params: dict) -> str:
    """A job left running by `worker` (as a process would leave it)."""
    service = jobs_of(app)
    job = await service.submit(kind, params)
    await asyncio.to_thread(service.queue.huey.storage.flush_queue)  # its message was consumed
    assert await transitions.claim_job(service.db, job.id, worker) is not None
    return job.id


async def test_startup_takes_back_jobs_of_a_dead_process_and_resends_lost_messages(queue_settings, tmp_path):
    marker = tmp_path / "runs.txt"
    producer = create_app(queue_settings(queue_in_process=False))
    async with producer.test_app():
        orphan = await claimed_by(producer, f"{socket.gethostname()}:{dead_pid()}:gone", "test_steps",
                                  {"marker": str(marker)})
        lost = await jobs_of(producer).submit("test_steps", {"marker": str(marker)})
        await asyncio.to_thread(jobs_of(producer).queue.huey.storage.flush_queue)  # the message is lost
        kept = await jobs_of(producer).submit("test_steps", {"marker": str(marker)})  # its message is fine

    consumer = create_app(queue_settings())
    async with consumer.test_app():
        await queue_ready(consumer)
        assert consumer.extensions["roa2web"].queue_part.recovered == {"orphans": 1, "resent": 1}
        service = jobs_of(consumer)
        done = {job_id: await wait_for(service, job_id) for job_id in (orphan, lost.id, kept.id)}
    assert all(job.state == JobState.DONE for job in done.values())
    assert done[orphan].attempts == 2 and done[lost.id].attempts == 1 and done[kept.id].attempts == 1
    runs = [line.split()[0] for line in marker_lines(marker) if line.endswith("start")]
    assert sorted(runs) == sorted([orphan, lost.id, kept.id])  # each ran exactly once here


async def test_silent_worker_elsewhere_is_taken_over_after_the_stale_window(queue_settings, tmp_path):
    producer = create_app(queue_settings(queue_in_process=False))
    async with producer.test_app():
        orphan = await claimed_by(producer, "another-host:4242:silent", "test_steps", {})
    consumer = create_app(queue_settings(queue_stale_after_s=3))
    async with consumer.test_app():
        await queue_ready(consumer)
        assert consumer.extensions["roa2web"].queue_part.recovered["orphans"] == 0  # not yet stale
        service = jobs_of(consumer)
        assert (await service.get(orphan)).state == JobState.RUNNING
        done = await wait_for(service, orphan, timeout_s=120)
    assert done.state == JobState.DONE and done.attempts == 2


async def test_a_heartbeating_worker_keeps_its_job(queue_settings):
    worker = "another-host:4242:alive"
    producer = create_app(queue_settings(queue_in_process=False))
    async with producer.test_app():
        job_id = await claimed_by(producer, worker, "test_steps", {})
    app = create_app(queue_settings(queue_stale_after_s=3))  # heartbeats every 0.3 s: a stall must last 2.7 s
    async with app.test_app():
        await queue_ready(app)
        service = jobs_of(app)
        for _ in range(24):  # 7.2 s, more than twice the stale window
            await transitions.heartbeat(service.db, worker)
            await asyncio.sleep(0.3)
        job = await service.get(job_id)
        assert (job.state, job.worker, job.attempts) == (JobState.RUNNING, worker, 1)


async def test_orphan_without_attempts_left_fails(queue_settings):
    app = create_app(queue_settings(queue_in_process=False))
    async with app.test_app():
        service = jobs_of(app)
        job = await service.submit("test_flaky", {})
        await asyncio.to_thread(service.queue.huey.storage.flush_queue)
        for attempt in range(3):
            worker = f"{socket.gethostname()}:{dead_pid()}:{attempt}"
            assert await transitions.claim_job(service.db, job.id, worker)
            if attempt < 2:
                assert await transitions.requeue_job(service.db, job.id, worker, error="x", task_id="t",
                                                     run_after=job.created_at)
    consumer = create_app(queue_settings())
    async with consumer.test_app():
        await queue_ready(consumer)
        failed = await jobs_of(consumer).get(job.id)
    assert failed.state == JobState.FAILED and failed.attempts == 3
    assert failed.error.endswith("exited during attempt 3")


async def test_a_second_message_for_a_finished_job_does_nothing(queue_app, tmp_path):
    service = jobs_of(queue_app)
    marker = tmp_path / "runs.txt"
    job = await service.submit("test_steps", {"marker": str(marker)})
    await wait_for(service, job.id)
    await asyncio.to_thread(service.queue.enqueue, service.queue.new_task(job.kind, job.id))
    deadline = time.monotonic() + 120
    while await asyncio.to_thread(service.queue.counts) != {"pending": 0, "scheduled": 0}:
        assert time.monotonic() < deadline, "the second message was never taken"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # time for a (wrong) second run to show in the marker
    again = await service.get(job.id)
    assert (again.state, again.attempts) == (JobState.DONE, 1)
    assert len([line for line in marker_lines(marker) if line.endswith("start")]) == 1


async def test_graceful_stop_lets_the_running_job_finish(queue_settings, tmp_path):
    marker = tmp_path / "runs.txt"
    app = create_app(queue_settings())
    async with app.test_app():
        await queue_ready(app)
        job = await jobs_of(app).submit("test_steps", {"steps": 10, "step_s": 0.1, "marker": str(marker)})
        await wait_for(jobs_of(app), job.id, JobState.RUNNING)
    # the app has stopped: the consumer waited for the job
    assert marker_lines(marker) == [f"{job.id} 1 start", f"{job.id} 1 end"]
    reader = create_app(queue_settings(queue_in_process=False))
    async with reader.test_app():
        finished = await jobs_of(reader).get(job.id)
    assert (finished.state, finished.attempts, finished.progress) == (JobState.DONE, 1, 100)


async def test_stop_timeout_hands_the_job_back_and_the_next_process_finishes_it(queue_settings, tmp_path):
    marker = tmp_path / "runs.txt"
    app = create_app(queue_settings(queue_shutdown_timeout_s=0.3))
    async with app.test_app():
        await queue_ready(app)
        job = await jobs_of(app).submit("test_steps", {"steps": 40, "step_s": 0.05, "marker": str(marker)})
        await wait_for(jobs_of(app), job.id, JobState.RUNNING)
    nxt = create_app(queue_settings())
    async with nxt.test_app():
        handed_back = await jobs_of(nxt).get(job.id)
        assert handed_back.attempts == 1 and handed_back.state in {JobState.QUEUED, JobState.RUNNING}
        await queue_ready(nxt)
        done = await wait_for(jobs_of(nxt), job.id)
    assert (done.state, done.attempts) == (JobState.DONE, 2)
    assert [line for line in marker_lines(marker) if line.endswith("end")] == [f"{job.id} 2 end"]
