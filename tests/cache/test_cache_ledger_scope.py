"""A cache opened for one ledger never finds (fresh or STALE) what was cached for another in the same file.

A ledger whose generation cannot be read (file gone or corrupt) keeps to the last one seen at its location.
"""

from __future__ import annotations

import pytest
from cache_helpers import CountingCompute, FakeClock

from roa2web.cache import CacheOutcome
from roa2web.cache.keys import cache_key, ledger_tag
from roa2web.ledger.base import LedgerUnavailable

PARAMS = {"year": 2025, "month_to": 6}


async def test_another_ledger_misses_what_the_first_one_cached(make_cache, compute: CountingCompute) -> None:
    old = make_cache(ledger_identity="generation:old")
    await old.get_or_compute("trial_balance", 1, PARAMS, compute, 600)
    new = make_cache(ledger_identity="generation:new")  # the same file, as after a restart
    assert new.get("trial_balance", 1, PARAMS) is None
    entry, outcome = await new.get_or_compute("trial_balance", 1, PARAMS, compute, 600)
    assert (outcome, entry.body) == (CacheOutcome.MISS, b"body-2")
    again = make_cache(ledger_identity="generation:old")
    assert again.get("trial_balance", 1, PARAMS).body == b"body-1"  # type: ignore[union-attr]


async def failing() -> bytes:
    raise LedgerUnavailable("down")


async def test_no_stale_copy_of_another_ledger_is_served(make_cache, compute: CountingCompute, clock: FakeClock):
    await make_cache(ledger_identity="generation:one").get_or_compute("trial_balance", 1, PARAMS, compute, 60)
    clock.advance(61)
    other = make_cache(ledger_identity="generation:two")
    with pytest.raises(LedgerUnavailable):
        await other.get_or_compute("trial_balance", 1, PARAMS, failing, 60, stale_on=(LedgerUnavailable,))
    same = make_cache(ledger_identity="generation:one")
    _, outcome = await same.get_or_compute("trial_balance", 1, PARAMS, failing, 60, stale_on=(LedgerUnavailable,))
    assert outcome is CacheOutcome.STALE


async def test_an_unreadable_ledger_keeps_to_the_last_generation_seen(make_cache, compute: CountingCompute,
                                                                       clock: FakeClock):
    unseen = make_cache(ledger_identity=None)  # nothing was ever read at this location: nothing to fall back to
    assert unseen.ledger != make_cache(ledger_identity=None).ledger
    await make_cache(ledger_identity="generation:old").get_or_compute("trial_balance", 1, PARAMS, compute, 60)
    await make_cache(ledger_identity="generation:new").get_or_compute("trial_balance", 1, PARAMS, compute, 60)
    clock.advance(61)
    broken = make_cache(ledger_identity=None)  # the file is gone or corrupt now
    entry, outcome = await broken.get_or_compute("trial_balance", 1, PARAMS, failing, 60, stale_on=(LedgerUnavailable,))
    assert (outcome, entry.body) == (CacheOutcome.STALE, b"body-2")  # the newer generation's copy


def test_keys_name_the_ledger_by_a_short_tag() -> None:
    tag = ledger_tag("oracle:ledger.example:1521/ROA:ROA")
    assert len(tag) == 16 and "example" not in tag
    key = cache_key("trial_balance", 1, PARAMS, ledger=tag)
    assert key.startswith(f"{tag}:trial_balance:1:")
    assert key != cache_key("trial_balance", 1, PARAMS, ledger=ledger_tag("oracle:db2.example:1521/ROA:ROA"))
    with pytest.raises(ValueError, match="must not be empty"):
        ledger_tag("")
