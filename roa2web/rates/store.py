"""The `exchange_rates` table (one reference rate per day and currency) and the fetch status of each source.

Rates are kept as the exact decimal text the bank published, with its multiplier; a day and
currency stored again (the same file imported twice, a daily feed after a yearly file) is
overwritten, never doubled. Written to run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee
from peewee_async import AioModel

from roa2web.appdb import AppDatabase, Migration, write_transaction
from roa2web.rates.bnr import Quote

MIGRATIONS = (
    Migration(
        1,
        "exchange rates",
        (
            """CREATE TABLE exchange_rates (
                day DATE NOT NULL,
                currency TEXT NOT NULL,
                rate TEXT NOT NULL,
                multiplier INTEGER NOT NULL,
                stored_at TIMESTAMP NOT NULL,
                PRIMARY KEY (day, currency)
            )""",
            "CREATE INDEX exchange_rates_currency_day ON exchange_rates (currency, day)",
            """CREATE TABLE exchange_rate_fetches (
                source TEXT PRIMARY KEY,
                last_attempt_at TIMESTAMP,
                last_success_at TIMESTAMP,
                last_error TEXT,
                last_error_at TIMESTAMP,
                last_stored INTEGER
            )""",
        ),
    ),
)
_BATCH = 200  # rows per INSERT: far below SQLite's bound on parameters


class RateRow(AioModel):
    """A row of `exchange_rates`: `multiplier` units of `currency` cost `rate` RON on `day`."""

    day = peewee.DateField()
    currency = peewee.TextField()
    rate = peewee.TextField()
    multiplier = peewee.IntegerField()
    stored_at = peewee.DateTimeField()

    class Meta:
        """Table name and key."""

        table_name = "exchange_rates"
        primary_key = peewee.CompositeKey("day", "currency")


class FetchRow(AioModel):
    """A row of `exchange_rate_fetches`: how the last fetch of a source went."""

    source = peewee.TextField(primary_key=True)
    last_attempt_at = peewee.DateTimeField(null=True)
    last_success_at = peewee.DateTimeField(null=True)
    last_error = peewee.TextField(null=True)
    last_error_at = peewee.DateTimeField(null=True)
    last_stored = peewee.IntegerField(null=True)

    class Meta:
        """The table's name."""

        table_name = "exchange_rate_fetches"


@dataclass(frozen=True, slots=True)
class StoredRate:
    """A stored reference rate."""

    day: dt.date
    currency: str
    rate: Decimal
    multiplier: int

    @property
    def ron_per_unit(self) -> Decimal:
        """RON for one unit of the currency (exact)."""
        return self.rate / self.multiplier


@dataclass(frozen=True, slots=True)
class FetchStatus:
    """The last attempt, success and error of a source (times naive UTC as stored)."""

    source: str
    last_attempt_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    last_stored: int | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _as_time(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _stored(row: RateRow) -> StoredRate:
    return StoredRate(_as_date(row.day), row.currency, Decimal(row.rate), int(row.multiplier))


async def save_quotes(db: AppDatabase, quotes: Iterable[Quote]) -> int:
    """Store every quote (a day and currency already there is overwritten); returns how many were written."""
    now = _now()
    rows = [{"day": q.day, "currency": q.currency, "rate": str(q.rate), "multiplier": q.multiplier, "stored_at": now}
            for q in quotes]
    async with write_transaction(db):
        for start in range(0, len(rows), _BATCH):
            insert = RateRow.insert_many(rows[start:start + _BATCH]).on_conflict(
                conflict_target=[RateRow.day, RateRow.currency],
                update={RateRow.rate: peewee.EXCLUDED.rate, RateRow.multiplier: peewee.EXCLUDED.multiplier,
                        RateRow.stored_at: peewee.EXCLUDED.stored_at},
            )
            # RETURNING named: peewee-async's own guess of it fails on PostgreSQL
            await insert.returning(RateRow.day).aio_execute(db)
    return len(rows)


async def rate_before(db: AppDatabase, currency: str, day: dt.date, *, not_before: dt.date) -> StoredRate | None:
    """The rate of `currency` of the last stored day strictly before `day`, if that day is on or after `not_before`."""
    row = await (
        RateRow.select()
        .where((RateRow.currency == currency) & (RateRow.day < day) & (RateRow.day >= not_before))
        .order_by(RateRow.day.desc())
        .limit(1)
        .aio_first(db)
    )
    return None if row is None else _stored(row)


async def rates_on(db: AppDatabase, day: dt.date) -> list[StoredRate]:
    """Every rate stored for `day`, by currency."""
    rows = await RateRow.select().where(RateRow.day == day).order_by(RateRow.currency).aio_execute(db)
    return [_stored(row) for row in rows]


async def latest_day(db: AppDatabase, currency: str | None = None) -> dt.date | None:
    """The last day with a stored rate (of `currency`, when given)."""
    query = RateRow.select(peewee.fn.MAX(RateRow.day))
    if currency is not None:
        query = query.where(RateRow.currency == currency)
    value = await query.aio_scalar(db)
    return None if value is None else _as_date(value)


async def record_fetch(db: AppDatabase, source: str, *, stored: int | None = None, error: str | None = None) -> None:
    """Note an attempt to fetch `source`: a success (`stored` rates) or a failure (`error`)."""
    now = _now()
    values: dict[Any, Any] = {FetchRow.last_attempt_at: now}
    if error is None:
        values.update({FetchRow.last_success_at: now, FetchRow.last_stored: stored})
    else:
        values.update({FetchRow.last_error: error[:500], FetchRow.last_error_at: now})
    async with write_transaction(db):
        if not await FetchRow.update(values).where(FetchRow.source == source).aio_execute(db):
            await FetchRow.insert({FetchRow.source: source, **values}).returning(FetchRow.source).aio_execute(db)


async def fetch_status(db: AppDatabase, source: str) -> FetchStatus | None:
    """How the fetches of `source` went, or None before the first."""
    row = await FetchRow.select().where(FetchRow.source == source).aio_first(db)
    if row is None:
        return None
    return FetchStatus(row.source, _as_time(row.last_attempt_at), _as_time(row.last_success_at), row.last_error,
                       _as_time(row.last_error_at), None if row.last_stored is None else int(row.last_stored))


def summary(quotes: Sequence[Quote]) -> tuple[int, int]:
    """(days, rates) of a batch of quotes."""
    return len({quote.day for quote in quotes}), len(quotes)
