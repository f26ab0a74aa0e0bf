"""Single flight for concurrent misses, and STALE when computing fails."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from cache_helpers import CountingCompute, FakeClock

from roa2web.cache import CacheOutcome, TwoTierCache

PARAMS = {"from": "2025-01-01", "to": "2025-03-31"}


class LedgerDown(Exception):
    """Stands in for the ledger failing (the reports module passes its LedgerError)."""


async def test_100_concurrent_misses_compute_once(cache: TwoTierCache) -> None:
    calls = 0

    async def slow_compute() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return b'{"rows": 300}'

    results = await asyncio.gather(
        *(cache.get_or_compute("trial_balance", 1, PARAMS, slow_compute, ttl_s=60) for _ in range(100))
    )
    assert calls == 1
    assert {entry.etag for entry, _ in results} == {results[0][0].etag}
    assert {outcome for _, outcome in results} == {CacheOutcome.MISS}
    figures = cache.stats()
    assert (figures["computes"], figures["coalesced"], figures["in_flight"]) == (1, 99, 0)
    assert (await cache.get_or_compute("trial_balance", 1, PARAMS, slow_compute, ttl_s=60))[1] is CacheOutcome.HIT_L1


async def test_an_error_reaches_every_waiter_and_frees_the_key(cache: TwoTierCache, compute: CountingCompute) -> None:
    calls = 0

    async def failing() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise LedgerDown("ledger unreachable")

    results = await asyncio.gather(
        *(cache.get_or_compute("trial_balance", 1, PARAMS, failing, ttl_s=60) for _ in range(10)),
        return_exceptions=True,
    )
    assert calls == 1
    assert all(isinstance(result, LedgerDown) for result in results)
    assert cache.stats()["compute_errors"] == 1

    entry, outcome = await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    assert (outcome, entry.body) == (CacheOutcome.MISS, b"body-1")


async def test_a_cancelled_caller_does_not_cancel_the_others(cache: TwoTierCache) -> None:
    release = asyncio.Event()

    async def slow() -> bytes:
        await release.wait()
        return b"done"

    first = asyncio.create_task(cache.get_or_compute("trial_balance", 1, PARAMS, slow, ttl_s=60))
    second = asyncio.create_task(cache.get_or_compute("trial_balance", 1, PARAMS, slow, ttl_s=60))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    entry, outcome = await second
    assert (entry.body, outcome) == (b"done", CacheOutcome.MISS)
    with pytest.raises(asyncio.CancelledError):
        await first
    assert cache.get("trial_balance", 1, PARAMS) is not None
    assert (cache.stats()["computes"], cache.stats()["coalesced"]) == (1, 1)


async def test_stale_served_when_compute_fails_and_an_expired_entry_exists(
    make_cache: Callable[..., TwoTierCache], compute: CountingCompute, clock: FakeClock
) -> None:
    cache = make_cache(stale_max_age_s=3600)
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    clock.advance(600)

    async def failing() -> bytes:
        raise LedgerDown("ledger unreachable")

    entry, outcome = await cache.get_or_compute("trial_balance", 1, PARAMS, failing, ttl_s=60, stale_on=(LedgerDown,))
    assert (outcome, outcome.value, entry.body) == (CacheOutcome.STALE, "STALE", b"body-1")
    assert entry.created == clock.now - 600
    figures = cache.stats()
    assert (figures["stale"], figures["reports"]["trial_balance"]["stale"]) == (1, 1)

    entry, outcome = await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60, stale_on=(LedgerDown,))
    assert (outcome, entry.body) == (CacheOutcome.MISS, b"body-2")  # the ledger is back: recomputed


async def test_error_reraised_without_an_expired_entry(cache: TwoTierCache) -> None:
    async def failing() -> bytes:
        raise LedgerDown("ledger unreachable")

    with pytest.raises(LedgerDown):
        await cache.get_or_compute("trial_balance", 1, PARAMS, failing, ttl_s=60, stale_on=(LedgerDown,))


async def test_error_reraised_when_the_expired_entry_is_too_old(
    make_cache: Callable[..., TwoTierCache], compute: CountingCompute, clock: FakeClock
) -> None:
    cache = make_cache(stale_max_age_s=3600)
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    clock.advance(3601)

    async def failing() -> bytes:
        raise LedgerDown("ledger unreachable")

    with pytest.raises(LedgerDown):
        await cache.get_or_compute("trial_balance", 1, PARAMS, failing, ttl_s=60, stale_on=(LedgerDown,))


async def test_errors_outside_stale_on_are_reraised_even_with_an_expired_entry(
    cache: TwoTierCache, compute: CountingCompute, clock: FakeClock
) -> None:
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, ttl_s=60)
    clock.advance(120)

    async def broken() -> bytes:
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError, match="a bug"):
        await cache.get_or_compute("trial_balance", 1, PARAMS, broken, ttl_s=60, stale_on=(LedgerDown,))
