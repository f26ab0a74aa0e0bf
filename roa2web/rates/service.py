"""The exchange rates the app uses: look one up, import a bank document, note how fetches went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roa2web.appdb import AppDatabase
from roa2web.rates import store
from roa2web.rates.bnr import parse_feed
from roa2web.rates.store import FetchStatus, StoredRate

BNR = "bnr"  # the source name of the bank's feed in exchange_rate_fetches
# How far back a rate "before the day" may be: a long weekend with holidays is at most a few days;
# past this the table is stale, and a month-old rate must not pass for the day's.
RATE_WINDOW_DAYS = 10


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import stored: how many banking days and rates, the first and last day, and rates skipped."""

    days: int
    rates: int
    first_day: dt.date
    last_day: dt.date
    skipped: int


class ExchangeRates:
    """The reference rates in the app database."""

    def __init__(self, db: AppDatabase, *, window_days: int = RATE_WINDOW_DAYS) -> None:
        self.db = db
        self.window_days = window_days

    async def before(self, currency: str, day: dt.date) -> StoredRate | None:
        """The rate of the last banking day strictly before `day` (the one published before it), within the window."""
        return await store.rate_before(self.db, currency, day, not_before=day - dt.timedelta(days=self.window_days))

    async def import_document(self, document: bytes) -> Imported:
        """Store the rates of a BNR document (daily feed or yearly file); raises BnrFeedError when it is not one."""
        feed = parse_feed(document)
        await store.save_quotes(self.db, feed.quotes)
        days = feed.days
        return Imported(len(days), len(feed.quotes), days[0], days[-1], feed.skipped)

    async def on(self, day: dt.date) -> list[StoredRate]:
        """Every rate stored for `day`."""
        return await store.rates_on(self.db, day)

    async def latest_day(self, currency: str | None = None) -> dt.date | None:
        """The last day with a stored rate."""
        return await store.latest_day(self.db, currency)

    async def fetched(self, *, stored: int | None = None, error: str | None = None) -> None:
        """Note a fetch of the bank's feed: its success (`stored` rates) or its `error`."""
        await store.record_fetch(self.db, BNR, stored=stored, error=error)

    async def fetch_status(self) -> FetchStatus | None:
        """How the fetches of the bank's feed went (None before the first)."""
        return await store.fetch_status(self.db, BNR)
