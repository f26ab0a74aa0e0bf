"""The recorded BNR feeds (tests/fixtures/bnr, samples in the bank's exact format) and a way to load them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from roa2web.appdb import AppDatabase
from roa2web.rates.bnr import Feed, parse_feed
from roa2web.rates.store import save_quotes

BNR_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bnr"
YEARS = tuple(BNR_FIXTURES / f"nbrfxrates{year}.xml" for year in (2024, 2025, 2026))  # 2026 up to 4 December
YEAR_2025 = YEARS[1]  # every banking day of 2025
DAILY = BNR_FIXTURES / "nbrfxrates.xml"  # the daily feed of Friday 2026-12-04


@cache
def recorded_feed(path: Path = YEAR_2025) -> Feed:
    """A recorded document, parsed once per session."""
    return parse_feed(path.read_bytes())


async def load_recorded_rates(db: AppDatabase, paths: tuple[Path, ...] = YEARS) -> int:
    """Store recorded documents' rates (by default 2024 to 4 December 2026) in an app database; how many."""
    return sum([await save_quotes(db, recorded_feed(path).quotes) for path in paths])
