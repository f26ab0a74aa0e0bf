"""Job state changes on SQLite and PostgreSQL: each one conditional, so concurrent callers never both win."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from roa2web.appdb import apply_migrations, open_database
from roa2web.jobs import store, transitions
from roa2web.jobs.queries import jobs_in_state, oldest_queued, purge_jobs, state_counts
from roa2web.jobs.store import JobState, now_utc
from tests.support.data_entry import postgres_database, wipe_postgres  # noqa: F401 - fixture

ENGINES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


@pytest.fixture(params=ENGINES)
async def db(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
        wipe_postgres(url)
    database = open_database(url, pool_size=30)
    await database.aio_connect()
    await apply_migrations(database, "jobs", store.MIGRATIONS)
    yield database
    await database.aio_close()


async def new_job(db, **overrides):
    values = {"kind": "test_steps", "params": {"b": 2, "a": [1, "ș"]}, "owner_id": "u1", "company_id": 7,
              "max_attempts": 2, "task_id": "t0"}
    return await store.insert_job(db, **{**values, **overrides})


async def test_insert_and_read_back(db):
    job = await new_job(db)
    assert job.state == JobState.QUEUED and job.params == {"a": [1, "ș"], "b": 2}
    assert job.created_at.tzinfo is dt.UTC and job.attempts == 0 and job.progress == 0
    assert await store.get_job(db, job.id) == job
    assert await store.get_job(db, "missing") is None
    listed = await store.list_jobs(db, states=(JobState.QUEUED,), owner_id="u1", kind="test_steps")
    assert [item.id for item in listed] == [job.id]
    assert job.to_dict()["created_at"].endswith("Z")


async def test_only_one_of_many_concurrent_claims_wins(db):
    job = await new_job(db)
    results = await asyncio.gather(*(transitions.claim_job(db, job.id, f"w{index}") for index in range(20)))
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    assert winners[0].state == JobState.RUNNING and winners[0].attempts == 1
    assert winners[0].worker == (await store.get_job(db, job.id)).worker


async def test_only_the_holder_writes_progress_and_outcome(db):
    job = await new_job(db)
    await transitions.claim_job(db, job.id, "w1")
    assert not await transitions.record_progress(db, job.id, "w2", 50, "nu")
    assert await transitions.record_progress(db, job.id, "w1", 150, "pas  cu\nspații")
    running = await store.get_job(db, job.id)
    assert (running.progress, running.message) == (100, "pas cu spații")
    assert not await transitions.finish_job(db, job.id, "w2", "x")
    assert await transitions.finish_job(db, job.id, "w1", "ref")
    done = await store.get_job(db, job.id)
    assert (done.state, done.result_ref, done.message) == (JobState.DONE, "ref", "Finalizat")
    assert not await transitions.fail_job(db, job.id, "w1", "too late")
    assert not await transitions.claim_job(db, job.id, "w3")


async def test_requeue_then_fail(db):
    job = await new_job(db)
    await transitions.claim_job(db, job.id, "w1")
    later = now_utc() + dt.timedelta(seconds=30)
    assert await transitions.requeue_job(db, job.id, "w1", error="Boom: x", task_id="t1", run_after=later)
    queued = await store.get_job(db, job.id)
    assert (queued.state, queued.worker, queued.task_id, queued.error) == (JobState.QUEUED, None, "t1", "Boom: x")
    assert abs((queued.run_after - later).total_seconds()) < 0.01
    await transitions.claim_job(db, job.id, "w2")
    assert await transitions.fail_job(db, job.id, "w2", "Boom: y")
    failed = await store.get_job(db, job.id)
    assert (failed.state, failed.attempts, failed.error) == (JobState.FAILED, 2, "Boom: y")


async def test_cancel_and_reset(db):
    queued = await new_job(db)
    assert await transitions.cancel_queued(db, queued.id)
    assert not await transitions.claim_job(db, queued.id, "w1")
    assert await transitions.reset_job(db, queued.id, "t9")
    again = await store.get_job(db, queued.id)
    assert (again.state, again.cancel_requested, again.task_id) == (JobState.QUEUED, False, "t9")

    running = await new_job(db)
    await transitions.claim_job(db, running.id, "w1")
    assert not await transitions.cancel_queued(db, running.id)
    assert await transitions.request_cancel(db, running.id)
    assert await transitions.cancel_requested(db, running.id)
    assert await transitions.finish_job(db, running.id, "w1", None)
    assert (await store.get_job(db, running.id)).state == JobState.CANCELLED
    assert not await transitions.reset_job(db, (await new_job(db)).id, "t")  # queued: nothing to reset


async def test_release_orphan_only_while_still_stale(db):
    job = await new_job(db)
    claimed = await transitions.claim_job(db, job.id, "h:1:a")
    assert not await transitions.release_orphan(db, claimed, task_id="t2", reason="r", stale_before=now_utc()
                                                - dt.timedelta(seconds=60))  # its heartbeat is fresh
    assert await transitions.heartbeat(db, "h:1:a") == 1
    assert await transitions.release_orphan(db, claimed, task_id="t2", reason="worker gone",
                                            stale_before=now_utc() + dt.timedelta(seconds=1))
    released = await store.get_job(db, job.id)
    assert (released.state, released.worker, released.task_id, released.error) == (
        JobState.QUEUED, None, "t2", "worker gone")
    assert released.message == "Procesul care îl rula s-a oprit; se reia"
    spent = await transitions.claim_job(db, job.id, "h:1:b")
    assert spent.attempts == 2 == spent.max_attempts
    assert await transitions.release_orphan(db, spent, task_id="t3", reason="gone again",
                                            stale_before=now_utc() + dt.timedelta(seconds=1))
    assert (await store.get_job(db, job.id)).state == JobState.FAILED


async def test_reassign_queued_is_conditional_on_the_old_message(db):
    job = await new_job(db)
    assert not await transitions.reassign_queued(db, job.id, "other", "t1")
    assert await transitions.reassign_queued(db, job.id, "t0", "t1")
    assert (await store.get_job(db, job.id)).task_id == "t1"


async def test_counts_oldest_and_purge(db):
    first = await new_job(db)
    second = await new_job(db)
    await transitions.claim_job(db, second.id, "w")
    await transitions.fail_job(db, second.id, "w", "x")
    assert await state_counts(db) == {"queued": 1, "running": 0, "done": 0, "failed": 1, "cancelled": 0}
    assert await oldest_queued(db) == first.created_at
    assert [job.id for job in await jobs_in_state(db, JobState.FAILED)] == [second.id]
    assert await purge_jobs(db, states=(JobState.FAILED,), older_than=dt.timedelta(days=7)) == 0
    assert await purge_jobs(db, states=(JobState.FAILED,), older_than=dt.timedelta(0)) == 1
    with pytest.raises(ValueError, match="only finished jobs"):
        await purge_jobs(db, states=(JobState.QUEUED,), older_than=dt.timedelta(0))
    assert (await state_counts(db))["failed"] == 0 and (await state_counts(db))["queued"] == 1
