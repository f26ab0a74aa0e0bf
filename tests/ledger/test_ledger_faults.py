"""The embedded ledger on a real file that is locked, truncated or replaced by garbage, then restored.

Its health query sees each fault (a `SELECT 1` on a connection opened earlier saw none), the
breaker then refuses statements without running them, and once the file is back a recovery probe
closes the breaker and statements read the restored file: no restart.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from roa2web.ledger.base import LedgerCircuitOpen, LedgerError
from roa2web.ledger.breaker import BreakerState
from roa2web.ledger.embedded import EmbeddedLedger
from tests.conftest import copy_ledger
from tests.support.ledger_faults import FAULT_ERRORS, FAULTS, LedgerFault, until


@pytest.fixture
async def ledger(tmp_path: Path, demo_ledger_path: Path):
    ledger = EmbeddedLedger(copy_ledger(demo_ledger_path, tmp_path / "data"), timeout_s=30, health_timeout_s=0.5,
                            breaker_failures=3, breaker_cool_down_s=0.2)
    yield ledger
    await ledger.close()


@pytest.mark.parametrize("kind", FAULTS)
async def test_a_fault_opens_the_breaker_and_the_restored_file_closes_it(ledger: EmbeddedLedger, kind: str):
    companies = await ledger.fetch("companies.all")  # this thread's connection is open on the good file
    await ledger.probe()
    fault = LedgerFault(kind, ledger.path)
    fault.apply()
    try:
        with pytest.raises(LedgerError, match=FAULT_ERRORS[kind]):
            await ledger.probe()
        assert ledger.breaker.state is not BreakerState.CLOSED
        assert FAULT_ERRORS[kind] in (ledger.breaker.last_error or "")

        queries = ledger.queries
        with pytest.raises(LedgerCircuitOpen) as refused:
            await ledger.fetch("companies.all")
        assert ledger.queries == queries  # refused without running: no wait on the file
        assert int(refused.value.headers["Retry-After"]) >= 1

        probes = ledger.health_queries
        await until(lambda: _probed_since(ledger, probes, 2), "two recovery probes while the file is broken")
        assert ledger.breaker.state is not BreakerState.CLOSED
    finally:
        fault.restore()

    await until(lambda: _closed(ledger), "the breaker closes once the file is restored")
    assert await ledger.fetch("companies.all") == companies


async def test_statements_failing_three_times_open_the_breaker(tmp_path: Path):
    path = tmp_path / "not-a-ledger.sqlite"  # an SQLite file, but without the ledger's tables
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    ledger = EmbeddedLedger(path, health_timeout_s=0.5, breaker_failures=3, breaker_cool_down_s=60)
    try:
        for _ in range(3):
            assert ledger.breaker.state is BreakerState.CLOSED
            with pytest.raises(LedgerError, match="no such table"):
                await ledger.fetch("companies.all")
        assert ledger.breaker.state is BreakerState.OPEN
        with pytest.raises(LedgerCircuitOpen):
            await ledger.fetch("companies.all")
        assert ledger.queries == 3
    finally:
        await ledger.close()


async def _probed_since(ledger: EmbeddedLedger, probes: int, more: int) -> bool:
    return ledger.health_queries >= probes + more


async def _closed(ledger: EmbeddedLedger) -> bool:
    return ledger.breaker.state is BreakerState.CLOSED
