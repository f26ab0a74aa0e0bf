"""Lookups through both tiers: hits, promotion, expiry, eviction, invalidation and figures."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections.abc import Callable

import pytest
from cache_helpers import CountingCompute, FakeClock

from roa2web.cache import CachedResponse, CacheOutcome, TwoTierCache

PARAMS = {"from": "2025-01-01", "to": "2025-03-31"}


async def test_miss_then_hit_l1(cache: TwoTierCache, compute: CountingCompute) -> None:
    first, outcome = await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    assert outcome is CacheOutcome.MISS
    assert first.body == b"body-1"
    assert first.etag == hashlib.sha256(b"body-1").hexdigest()
    assert (first.report, first.company_id) == ("trial_balance", 1)

    second, outcome = await cache.get_or_compute("trial_balance", 1, dict(reversed(PARAMS.items())), compute, 60)
    assert outcome is CacheOutcome.HIT_L1
    assert outcome.value == "HIT-L1"
    assert second == first
    assert compute.calls == 1


async def test_new_cache_on_same_file_hits_l2_then_l1(
    make_cache: Callable[..., TwoTierCache], compute: CountingCompute
) -> None:
    await make_cache().get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    other_process = make_cache()

    entry, outcome = await other_process.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    assert (outcome, entry.body) == (CacheOutcome.HIT_L2, b"body-1")
    entry, outcome = await other_process.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    assert (outcome, entry.body) == (CacheOutcome.HIT_L1, b"body-1")
    assert compute.calls == 1


async def test_entry_expires_after_its_ttl(cache: TwoTierCache, compute: CountingCompute, clock: FakeClock) -> None:
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    clock.advance(59.9)
    assert (await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60))[1] is CacheOutcome.HIT_L1
    clock.advance(0.2)
    entry, outcome = await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    assert (outcome, entry.body, compute.calls) == (CacheOutcome.MISS, b"body-2", 2)


async def test_l1_ttl_shorter_than_entry_ttl_falls_back_to_l2(
    make_cache: Callable[..., TwoTierCache], compute: CountingCompute, clock: FakeClock
) -> None:
    cache = make_cache(l1_ttl_s=10)
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=3600)
    clock.advance(11)
    assert (await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=3600))[1] is CacheOutcome.HIT_L2
    assert compute.calls == 1


async def test_promotion_keeps_the_remaining_ttl(
    make_cache: Callable[..., TwoTierCache], compute: CountingCompute, clock: FakeClock
) -> None:
    await make_cache().get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=100)
    clock.advance(90)
    other_process = make_cache(l1_ttl_s=300)
    assert (await other_process.get_or_compute("trial_balance", 1, PARAMS, compute, 100))[1] is CacheOutcome.HIT_L2
    clock.advance(11)  # past the entry's expiry, well within the L1 TTL
    assert (await other_process.get_or_compute("trial_balance", 1, PARAMS, compute, 100))[1] is CacheOutcome.MISS


def test_lru_eviction_keeps_recently_used_entries_in_l1(make_cache: Callable[..., TwoTierCache]) -> None:
    cache = make_cache(l1_max_entries=2)
    for company_id in (1, 2):
        cache.put("trial_balance", company_id, PARAMS, b"x", ttl_s=60)
    assert cache.get("trial_balance", 1, PARAMS) is not None  # 1 is now the most recently used
    cache.put("trial_balance", 3, PARAMS, b"x", ttl_s=60)  # evicts 2 from L1 only

    cache.get("trial_balance", 1, PARAMS)
    cache.get("trial_balance", 2, PARAMS)
    figures = cache.stats()
    assert figures["l1"]["entries"] == 2
    assert (figures["l1"]["hits"], figures["l2"]["hits"]) == (2, 1)  # 1 twice from L1; 2 came back from L2
    assert figures["l2"]["entries"] == 3


def test_invalidate_by_company_and_by_report_in_both_tiers(make_cache: Callable[..., TwoTierCache]) -> None:
    cache = make_cache()
    for report, company_id in [("trial_balance", 1), ("trial_balance", 2), ("balance_sheet", 1), ("vat", None)]:
        cache.put(report, company_id, PARAMS, f"{report}-{company_id}".encode(), ttl_s=60)

    assert cache.invalidate(company_id=1) == 2
    other_process = make_cache()
    for cache_object in (cache, other_process):
        assert cache_object.get("trial_balance", 1, PARAMS) is None
        assert cache_object.get("balance_sheet", 1, PARAMS) is None
        entry = cache_object.get("trial_balance", 2, PARAMS)
        assert entry is not None and entry.body == b"trial_balance-2"

    assert cache.invalidate(report="trial_balance") == 1
    assert cache.get("trial_balance", 2, PARAMS) is None
    assert cache.invalidate(company_id=2, report="vat") == 0
    assert cache.clear() == 1  # the company-independent vat report
    assert cache.stats()["l2"]["entries"] == 0
    assert cache.stats()["l1"]["entries"] == 0


async def test_invalidation_during_compute_does_not_cache_the_old_result(
    cache: TwoTierCache, compute: CountingCompute
) -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> bytes:
        started.set()
        await release.wait()
        return b"computed before the invalidation"

    running = asyncio.create_task(cache.get_or_compute("trial_balance", 1, PARAMS, slow, ttl_s=60))
    await started.wait()
    await asyncio.to_thread(cache.invalidate, 1)
    release.set()
    entry, outcome = await running
    assert (outcome, entry.body) == (CacheOutcome.MISS, b"computed before the invalidation")
    assert cache.get("trial_balance", 1, PARAMS) is None
    assert cache.stats()["l2"]["entries"] == 0


def test_sync_put_and_get_from_a_thread_like_caller(cache: TwoTierCache, clock: FakeClock) -> None:
    stored = cache.put("trial_balance", 7, PARAMS, b'{"rows": []}', ttl_s=30)
    assert stored.expires == clock.now + 30
    assert cache.get("trial_balance", 7, dict(reversed(PARAMS.items()))) == stored
    assert cache.get("trial_balance", 8, PARAMS) is None
    with pytest.raises(TypeError):
        cache.put("trial_balance", 7, PARAMS, '{"rows": []}', ttl_s=30)  # type: ignore[arg-type]


def test_vacuum_keeps_expired_entries_for_the_stale_window(
    make_cache: Callable[..., TwoTierCache], clock: FakeClock
) -> None:
    cache = make_cache(stale_max_age_s=1000)
    cache.put("trial_balance", 1, PARAMS, b"old", ttl_s=10)
    clock.advance(500)
    cache.put("trial_balance", 2, PARAMS, b"newer", ttl_s=10)
    clock.advance(600)  # entry 1 expired 1090 s ago, entry 2 expired 590 s ago
    assert cache.vacuum() == 1
    assert cache.stats()["l2"]["entries"] == 1
    assert cache.vacuum(older_than_s=0) == 1


def test_stats_are_json_ready_and_count_each_tier(make_cache: Callable[..., TwoTierCache]) -> None:
    cache = make_cache()
    cache.put("trial_balance", 1, PARAMS, b"x" * 1000, ttl_s=60)
    cache.get("trial_balance", 1, PARAMS)
    cache.get("trial_balance", 2, PARAMS)
    make_cache().get("trial_balance", 1, PARAMS)

    figures = cache.stats()
    assert figures["l1"] | {"mean_lookup_us": 0} == {
        "hits": 1,
        "misses": 1,
        "hit_ratio": 0.5,
        "entries": 1,
        "bytes": 1000,
        "mean_lookup_us": 0,
        "max_entries": 100,
        "ttl_s": 300,
    }
    assert (figures["l2"]["hits"], figures["l2"]["misses"], figures["l2"]["entries"]) == (0, 1, 1)
    assert figures["l2"]["bytes"] == 1000
    assert figures["reports"] == {"trial_balance": {"hits": 1, "misses": 1, "stale": 0}}
    assert figures["l1"]["mean_lookup_us"] > 0


def test_cached_response_is_frozen_and_knows_its_age() -> None:
    entry = CachedResponse.build(b"x", report="trial_balance", company_id=None, ttl_s=60, now=0.0)
    assert entry.age_s > 1_000_000
    assert not entry.is_fresh(60.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.body = b"y"  # type: ignore[misc]
