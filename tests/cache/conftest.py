"""Cache fixtures: a settable clock and a cache on a temp file that uses it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cache_helpers import CountingCompute, FakeClock

from roa2web.cache import TwoTierCache
from roa2web.ledger.identity import LedgerIdentity

LOCATION = "embedded:/data/ledger-demo.sqlite"
LEDGER = "generation:test-ledger"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "cache.db"


@pytest.fixture
def make_cache(cache_path: Path, clock: FakeClock) -> Iterator[Callable[..., TwoTierCache]]:
    """Open caches on the shared temp file (several may be open, like several processes); all closed after."""
    opened: list[TwoTierCache] = []

    def make(*, l1_max_entries: int = 100, l1_ttl_s: float = 300, stale_max_age_s: float = 3600,
             ledger_identity: str | None = LEDGER) -> TwoTierCache:
        cache = TwoTierCache(
            cache_path,
            ledger=LedgerIdentity(LOCATION, ledger_identity),
            l1_max_entries=l1_max_entries,
            l1_ttl_s=l1_ttl_s,
            stale_max_age_s=stale_max_age_s,
            clock=clock,
        )
        opened.append(cache)
        return cache

    yield make
    for cache in opened:
        cache.close()


@pytest.fixture
def cache(make_cache: Callable[..., TwoTierCache]) -> TwoTierCache:
    return make_cache()


@pytest.fixture
def compute() -> CountingCompute:
    return CountingCompute()
