"""A shared Redis queue is shared with one app database: instances register, a stranger may not join,
and a message for a job this database does not know is logged as an error and left to its owner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from queue_helpers import jobs_of, queue_ready, wait_for

from roa2web.app import create_app
from roa2web.jobs.instances import InstanceRefused, InstanceRegistry, join, new_instance
from roa2web.jobs.queue import UNKNOWN_JOB_TRIES
from roa2web.jobs.store import JobState
from tests.support.redis_queue import REDIS_URL, redis_queue

pytestmark = pytest.mark.redis


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own on the shared Redis; its keys are deleted afterwards."""
    with redis_queue("test_scaleout") as name:
        yield name


@pytest.mark.postgres
async def test_an_instance_on_another_app_database_may_not_join_the_queue(settings_factory, queue_name,
                                                                          postgres_database, tmp_path):
    def on_queue(data_dir: str, app_db_url: str | None):
        return settings_factory(queue_backend="redis", queue_url=REDIS_URL, queue_name=queue_name,
                                app_db_url=app_db_url, data_dir=tmp_path / data_dir)

    web = on_queue("web", postgres_database)
    first = await join(web, "serve")
    second = await join(on_queue("worker", postgres_database), "worker")  # same database, other machine
    assert first is not None and second is not None and first.installation == second.installation

    alone = on_queue("alone", None)  # its own SQLite app database
    with pytest.raises(InstanceRefused) as refused:
        await join(alone, "serve")
    line = str(refused.value)
    assert "\n" not in line and f"serve {first.host}:{first.pid}" in line
    assert postgres_database.rsplit("/", 1)[1] in line and str(tmp_path / "alone" / "app.db") in line

    registry = InstanceRegistry(web)
    try:
        live = await asyncio.to_thread(registry.live)
        assert [(instance.role, instance.data_dir) for instance in live] == [
            ("serve", str(tmp_path / "web")), ("worker", str(tmp_path / "worker"))]  # the refused one left no key
        assert 0 < registry.client.ttl(registry.prefix + first.id) <= registry.ttl_s
    finally:
        registry.close()
    assert await join(settings_factory(queue_backend="sqlite", data_dir=tmp_path / "alone"), "serve") is None


async def test_a_job_unknown_to_this_app_database_is_an_error_and_stays_with_its_owner(
        queue_settings, queue_name, tmp_path, caplog):
    def on_queue(data_dir: str, **extra: object):
        return queue_settings(queue_backend="redis", queue_url=REDIS_URL, queue_name=queue_name,
                              data_dir=tmp_path / data_dir, **extra)

    owner = create_app(on_queue("owner", queue_in_process=False))  # accepts jobs, consumes none
    stranger = create_app(on_queue("stranger"))  # its own SQLite app database, consuming the same queue
    caplog.set_level(logging.INFO, logger="roa2web.jobs")
    async with owner.test_app(), stranger.test_app():
        await queue_ready(stranger)
        job = await jobs_of(owner).submit("test_steps", {"steps": 1})

        def errors() -> list[str]:
            return [record.getMessage() for record in caplog.records
                    if record.levelno == logging.ERROR and job.id in record.getMessage()]

        for _ in range(3000):
            if any("dropped" in line for line in errors()):
                break
            await asyncio.sleep(0.02)
        lines = errors()
        assert len(lines) == UNKNOWN_JOB_TRIES + 1, lines
        assert all("is not in this instance's app database" in line and queue_name in line for line in lines)
        assert "sent back to the queue for its owner" in lines[0] and "dropped after" in lines[-1]
        assert not any("nothing to do" in record.getMessage() for record in caplog.records)
        assert (await jobs_of(owner).get(job.id)).state == JobState.QUEUED  # not pretended done
        assert await jobs_of(stranger).get(job.id) is None

    again = create_app(on_queue("owner"))  # the owner starts consuming: its recovery sends the job again
    async with again.test_app():
        await queue_ready(again)
        done = await wait_for(jobs_of(again), job.id, timeout_s=60)
        assert (done.state, done.attempts) == (JobState.DONE, 1)


async def test_a_stranger_registered_later_is_an_error_and_fails_health_until_it_expires(
        queue_settings, queue_name, tmp_path, caplog):
    settings = queue_settings(queue_backend="redis", queue_url=REDIS_URL, queue_name=queue_name,
                              data_dir=tmp_path / "web", queue_in_process=False)
    member = await join(settings, "serve")
    app = create_app(settings)
    runtime = app.extensions["roa2web"]
    runtime.services.instances.adopt(member)
    registry = InstanceRegistry(settings)
    caplog.set_level(logging.INFO, logger="roa2web.jobs.instances")
    try:
        async with app.test_app():
            health = (await runtime.health(timeout_s=5))["modules"]["instances"]
            assert (health["status"], health["registered"]) == ("ok", 1)
            assert str(tmp_path / "web") in health["instances"]

            # An instance of an older release, or one that started in the same instant, on another app database.
            stranger = new_instance(settings.model_copy(update={"data_dir": tmp_path / "other"}), "worker", "f" * 32)
            await asyncio.to_thread(registry.put, stranger)
            for _ in range(1000):
                if any(stranger.describe() in record.getMessage() for record in caplog.records):
                    break
                await asyncio.sleep(0.02)
            errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
            assert len(errors) == 1 and errors[0].startswith("jobs will be lost: ") and "ffffffffffff" in errors[0]
            health = (await runtime.health(timeout_s=5))["modules"]["instances"]
            assert health["status"] == "down" and stranger.describe() in health["error"] and health["registered"] == 2

            await asyncio.to_thread(registry.client.delete, registry.prefix + stranger.id)  # as its TTL would
            health = (await runtime.health(timeout_s=5))["modules"]["instances"]
            assert health["status"] == "ok" and health["registered"] == 1
            assert await asyncio.to_thread(registry.client.smembers, registry.index) == {member.id.encode()}
        assert await asyncio.to_thread(registry.live) == []  # a clean stop unregisters
    finally:
        registry.close()
