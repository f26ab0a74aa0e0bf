"""PeriodStates: which months count as closed when picking a cached report's lifetime."""

from __future__ import annotations

import shutil

from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports.periods import PeriodStates, closed_through


def test_closed_through_stops_at_the_first_open_month():
    assert closed_through([(2025, 2, True), (2025, 1, True), (2025, 3, False), (2025, 4, True)]) == (2025, 2)
    assert closed_through([(2025, 1, False), (2025, 2, True)]) is None
    assert closed_through([(2024, 12, True), (2025, 1, True)]) == (2025, 1)
    assert closed_through([]) is None


async def test_demo_calendar_is_loaded_once_then_read_from_memory(demo_ledger_path):
    ledger = EmbeddedLedger(demo_ledger_path)
    try:
        states = PeriodStates(ledger)
        assert states.known_closed(1, (2025, 11)) is None  # not loaded yet
        assert await states.is_closed(1, (2025, 11)) is True
        queries = ledger.queries
        assert states.known_closed(1, (2025, 11)) is True
        assert states.known_closed(1, (2025, 12)) is False  # the open month
        assert states.known_closed(1, (2026, 1)) is False  # beyond the calendar
        assert ledger.queries == queries  # answered from memory
        assert await states.is_closed(99, (2025, 1)) is False  # a company without periods
        states.forget(1)
        assert states.known_closed(1, (2025, 11)) is None
    finally:
        await ledger.close()


async def test_unreachable_ledger_counts_as_open_and_keeps_an_old_calendar(demo_ledger_path, tmp_path):
    copy = tmp_path / "ledger.sqlite"
    shutil.copy(demo_ledger_path, copy)
    ledger = EmbeddedLedger(copy, threads=1)
    clock = [0.0]
    states = PeriodStates(ledger, refresh_s=60, clock=lambda: clock[0])
    try:
        assert await states.is_closed(2, (2025, 6)) is True
        copy.unlink()
        gone = EmbeddedLedger(copy)
        assert await PeriodStates(gone).is_closed(2, (2025, 6)) is False  # unknown and unreachable: open
        await gone.close()
        clock[0] = 120.0  # stale: refreshed in the background, the old answer still given meanwhile
        assert states.known_closed(2, (2025, 6)) is True
        await states.close()
    finally:
        await ledger.close()
