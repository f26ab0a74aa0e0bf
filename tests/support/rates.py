"""The recorded BNR feeds (tests/fixtures/bnr, samples in the bank's exact format) and a way to load them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from roa2web.appdb import AppDatabase
from roa2web.rates.bnr import Feed, parse_feed
from roa2web.rates.store import save_quotes

BNR_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bnr"
YEAR_2025 = BNR_FIXTURES / "nbrfxrates2025.xml"  # every banking day of 2025
DAILY = BNR_FIXTURES / "nbrfxrates.xml"  # the daily feed of 2026-01-08


@cache
def recorded_feed(path: Path = YEAR_2025) -> Feed:
    """A recorded document, parsed once per session."""
    return parse_feed(path.read_bytes())


async def load_recorded_rates(db: AppDatabase, path: Path = YEAR_2025) -> int:
    """Store a recorded document's rates in an app database (as `roa2web rates import` would); how many."""
    return await save_quotes(db, recorded_feed(path).quotes)
