"""The exchange_rates table on SQLite and PostgreSQL: idempotent imports, the rate before a day, the fetch status."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from roa2web.appdb.part import DatabasePart
from roa2web.rates import store
from roa2web.rates.service import ExchangeRates
from tests.support.data_entry import ENGINES, wipe_postgres
from tests.support.rates import DAILY, YEAR_2025


@pytest.fixture(params=ENGINES)
async def rates(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ExchangeRates]:
    """The rates service over a migrated app database on the engine under test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
        wipe_postgres(url)
    part = DatabasePart("app_db", url)
    part.add_migrations("exchange_rates", store.MIGRATIONS)
    await part.start()
    try:
        yield ExchangeRates(part.db)
    finally:
        await part.stop()


async def test_a_yearly_import_stores_every_day_once_even_imported_twice(rates):
    first = await rates.import_document(YEAR_2025.read_bytes())
    again = await rates.import_document(YEAR_2025.read_bytes())
    assert (first.days, first.rates, first.first_day, first.last_day) == (248, 1488, dt.date(2025, 1, 3),
                                                                          dt.date(2025, 12, 31))
    assert again == first
    assert len(await rates.on(dt.date(2025, 6, 2))) == 6
    assert await rates.latest_day() == dt.date(2025, 12, 31)


async def test_rates_keep_their_exact_decimal_and_multiplier(rates):
    await rates.import_document(DAILY.read_bytes())
    stored = {rate.currency: rate for rate in await rates.on(dt.date(2026, 12, 4))}
    assert stored["EUR"].rate == Decimal("5.1133")
    assert (stored["JPY"].rate, stored["JPY"].multiplier) == (Decimal("2.8896"), 100)
    assert str(stored["EUR"].rate) == "5.1133"


async def test_the_rate_before_a_day_is_the_last_banking_day_strictly_before_it(rates):
    await rates.import_document(YEAR_2025.read_bytes())
    monday = await rates.before("EUR", dt.date(2025, 12, 15))
    assert monday is not None and monday.day == dt.date(2025, 12, 12)  # Friday: the weekend has no rate
    on_a_rate_day = await rates.before("EUR", dt.date(2025, 12, 12))
    assert on_a_rate_day is not None and on_a_rate_day.day == dt.date(2025, 12, 11)  # strictly before
    after_easter = await rates.before("EUR", dt.date(2025, 4, 22))
    assert after_easter is not None and after_easter.day == dt.date(2025, 4, 17)  # Good Friday, Easter Monday
    new_year = await rates.before("EUR", dt.date(2026, 1, 5))
    assert new_year is not None and new_year.day == dt.date(2025, 12, 31)


async def test_no_rate_before_the_first_day_nor_past_the_window(rates):
    await rates.import_document(YEAR_2025.read_bytes())
    assert await rates.before("EUR", dt.date(2025, 1, 3)) is None  # the file starts that day
    assert await rates.before("EUR", dt.date(2026, 1, 10)) is not None  # 10 days after 31 Dec
    assert await rates.before("EUR", dt.date(2026, 1, 11)) is None  # a stale table gives no rate
    assert await rates.before("XAU", dt.date(2025, 6, 2)) is None


async def test_the_fetch_status_keeps_the_last_success_and_the_last_error(rates):
    assert await rates.fetch_status() is None
    await rates.fetched(stored=6)
    await rates.fetched(error="HTTP 500")
    status = await rates.fetch_status()
    assert status is not None
    assert status.last_stored == 6 and status.last_error == "HTTP 500"
    assert status.last_success_at is not None and status.last_error_at is not None
    assert status.last_attempt_at == status.last_error_at >= status.last_success_at
