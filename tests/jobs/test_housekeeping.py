"""Housekeeping: expired exports, refresh tokens, Huey results and cache entries, as a periodic task."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time

from queue_helpers import jobs_of

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.cache import TwoTierCache
from roa2web.jobs.housekeeping import run_housekeeping
from roa2web.ledger.identity import LedgerIdentity

LEDGER = LedgerIdentity("embedded:/data/ledger-demo.sqlite", "test-ledger")


async def _seed(app, tmp_path):
    runtime = app.extensions["roa2web"]
    settings = runtime.settings
    exports = settings.data_path("exports")
    old, fresh = exports / ("a" * 32), exports / ("b" * 32)
    for directory in (old, fresh):
        directory.mkdir(parents=True)
        (directory / "raport.xlsx").write_bytes(b"x")
    stale = time.time() - settings.export_ttl_hours * 3600 - 60
    os.utime(old / "raport.xlsx", (stale, stale))

    db = runtime.app_db
    user = await store.create_user(db, username="ion", display_name="Ion", password_hash=None,
                                   roles=frozenset({"viewer"}), company_ids=None)
    await store.store_refresh_token(db, token_hash="h1", family_id="f", user_id=user.id,
                                    lifetime=dt.timedelta(seconds=-1))
    await store.store_refresh_token(db, token_hash="h2", family_id="f", user_id=user.id, lifetime=dt.timedelta(days=1))

    clock = [time.time()]
    cache = TwoTierCache(settings.data_path("cache-test.db"), ledger=LEDGER, l1_max_entries=10,
                         l1_ttl_s=60, stale_max_age_s=settings.cache_stale_max_age_s, clock=lambda: clock[0])
    cache.put("trial_balance", 1, {"year": 2025}, b"{}", ttl_s=1)
    clock[0] += settings.cache_stale_max_age_s + 10
    runtime.services.report_cache = cache
    return old, fresh, cache


async def test_housekeeping_removes_what_expired(queue_settings, tmp_path):
    # No consumer here: its periodic housekeeping (every few minutes, on the clock) could run first.
    app = create_app(queue_settings(queue_in_process=False))
    async with app.test_app():
        old, fresh, cache = await _seed(app, tmp_path)
        queue = jobs_of(app).queue
        queue.huey.storage.result_ttl_s = 0
        await asyncio.to_thread(queue.huey.put_result, "some-task", "ref")
        removed = await run_housekeeping(app.extensions["roa2web"])
        assert removed["exports"] == 1 and not old.exists() and fresh.exists()
        assert removed["refresh_tokens"] == 1
        assert removed["queue_results"] == 1
        assert removed["report_cache"] == 1
        cache.close()


async def test_housekeeping_runs_as_a_periodic_task_on_the_consumer(queue_app, tmp_path):
    old, fresh, cache = await _seed(queue_app, tmp_path)
    huey = jobs_of(queue_app).queue.huey
    periodic = huey._registry.string_to_task("roa2web.periodic.housekeeping")
    assert periodic in huey._registry._periodic_tasks
    await asyncio.to_thread(huey.enqueue, periodic())
    deadline = time.monotonic() + 120
    while old.exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not old.exists() and fresh.exists()
    cache.close()
