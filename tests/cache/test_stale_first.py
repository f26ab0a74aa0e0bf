"""After the ledger failed a report, reports with an expired copy get it at once (STALE) for a while,
instead of each waiting out the ledger's timeout again; then the ledger is asked again."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from cache_helpers import FakeClock

from roa2web.cache import CacheOutcome
from roa2web.ledger.base import LedgerUnavailable, Row
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports.periods import PeriodStates
from roa2web.reports.service import ReportService

TIMEOUT_S = 0.4
STALE_FIRST_S = 30.0


class HangingLedger(EmbeddedLedger):
    """The embedded ledger, whose statements stop answering while `hang` is set (Oracle not replying)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, timeout_s=TIMEOUT_S)
        self.hang = threading.Event()
        self.answer = threading.Event()

    def _run(self, sql: str, binds: Any) -> list[Row]:
        if self.hang.is_set():
            self.answer.wait(5)
        return super()._run(sql, binds)


def tb(month_to: int) -> dict[str, Any]:
    return {"company_id": 1, "year": 2025, "month_from": 1, "month_to": month_to, "level": "synthetic"}


@pytest.fixture
async def hanging_ledger(demo_ledger_path: Path):
    ledger = HangingLedger(demo_ledger_path)
    yield ledger
    ledger.answer.set()
    await ledger.close()


async def timed(coro: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = await coro
    return result, time.perf_counter() - started


async def test_a_failing_ledger_is_not_waited_for_again_while_copies_exist(make_cache, clock: FakeClock,
                                                                          hanging_ledger: HangingLedger):
    breaker_clock = FakeClock(0.0)
    service = ReportService(hanging_ledger, make_cache(l1_ttl_s=10), PeriodStates(hanging_ledger),
                            ttl_open_s=10, ttl_closed_s=10, stale_first_s=STALE_FIRST_S, clock=breaker_clock)
    for month in (10, 11):
        assert (await service.get("trial_balance", tb(month)))[1] is CacheOutcome.MISS
    clock.advance(11)  # both copies expired
    hanging_ledger.hang.set()

    (_, outcome), waited = await timed(service.get("trial_balance", tb(11)))
    assert outcome is CacheOutcome.STALE and waited >= TIMEOUT_S  # the ledger was asked and did not answer

    queries = hanging_ledger.queries
    _, outcome = await service.get("trial_balance", tb(10))
    assert outcome is CacheOutcome.STALE
    assert hanging_ledger.queries == queries  # not asked again, so not waited for

    with pytest.raises(LedgerUnavailable):  # no copy of this one: the ledger is still asked
        await service.get("trial_balance", tb(9))

    breaker_clock.advance(STALE_FIRST_S + 1)
    hanging_ledger.hang.clear()
    hanging_ledger.answer.set()
    await asyncio.sleep(0.05)
    _, outcome = await service.get("trial_balance", tb(10))
    assert outcome is CacheOutcome.MISS  # asked again, and it answered
    assert (await service.get("trial_balance", tb(11)))[1] is CacheOutcome.MISS  # no longer served stale first
