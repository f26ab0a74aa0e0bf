"""Once the ledger failed a report by not answering, its breaker is open: reports with an expired copy
get it at once (STALE), the others a LedgerCircuitOpen at once, instead of each waiting out the
ledger's timeout again; when the ledger answers a probe, reports are computed again."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from cache_helpers import FakeClock

from roa2web.cache import CacheOutcome
from roa2web.ledger.base import LedgerCircuitOpen, Row
from roa2web.ledger.breaker import BreakerState
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.ledger.identity import LedgerIdentity
from roa2web.reports.periods import PeriodStates
from roa2web.reports.service import ReportService

TIMEOUT_S = 0.4


class HangingLedger(EmbeddedLedger):
    """The embedded ledger, answering nothing (not even its health query) while `hang` is set: a wedged Oracle."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, timeout_s=TIMEOUT_S, health_timeout_s=0.2, breaker_cool_down_s=0.2)
        self.hang = threading.Event()
        self.answer = threading.Event()

    def _run(self, sql: str, binds: Any) -> list[Row]:
        if self.hang.is_set():
            self.answer.wait(5)
        return super()._run(sql, binds)

    def _check(self) -> LedgerIdentity:
        if self.hang.is_set():
            self.answer.wait(5)
        return super()._check()


def tb(month_to: int) -> dict[str, Any]:
    return {"company_id": 1, "year": 2025, "month_from": 1, "month_to": month_to, "level": "synthetic"}


@pytest.fixture
async def hanging_ledger(demo_ledger_path: Path):
    ledger = HangingLedger(demo_ledger_path)
    yield ledger
    ledger.answer.set()
    await ledger.close()


async def test_a_ledger_that_stopped_answering_is_not_waited_for_again(make_cache, clock: FakeClock,
                                                                      hanging_ledger: HangingLedger):
    service = ReportService(hanging_ledger, make_cache(l1_ttl_s=10), PeriodStates(hanging_ledger),
                            ttl_open_s=10, ttl_closed_s=10)
    for month in (10, 11):
        assert (await service.get("trial_balance", tb(month)))[1] is CacheOutcome.MISS
    clock.advance(11)  # both copies expired
    hanging_ledger.hang.set()

    _, outcome = await service.get("trial_balance", tb(11))  # the ledger is asked, and times out
    assert outcome is CacheOutcome.STALE
    assert hanging_ledger.breaker.state is not BreakerState.CLOSED
    assert "took longer than" in (hanging_ledger.breaker.last_error or "")

    queries = hanging_ledger.queries
    _, outcome = await service.get("trial_balance", tb(10))
    assert outcome is CacheOutcome.STALE
    with pytest.raises(LedgerCircuitOpen):  # no copy of this one: refused at once too
        await service.get("trial_balance", tb(9))
    assert hanging_ledger.queries == queries  # not asked again, so not waited for

    hanging_ledger.hang.clear()
    hanging_ledger.answer.set()
    for _ in range(600):  # a recovery probe closes the breaker (bounded: 30 s)
        if hanging_ledger.breaker.state is BreakerState.CLOSED:
            break
        await asyncio.sleep(0.05)
    assert hanging_ledger.breaker.state is BreakerState.CLOSED
    _, outcome = await service.get("trial_balance", tb(10))
    assert outcome is CacheOutcome.MISS  # asked again, and it answered
    assert (await service.get("trial_balance", tb(9)))[1] is CacheOutcome.MISS
