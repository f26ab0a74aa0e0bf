"""The periodic fetch of the bank's daily feed, against a loopback server serving the recorded feed.

A good feed is stored and /health's `rates` entry shows it; a 500, a timeout or a page that is not
the feed stores nothing, shows the error and leaves the process serving; switched off, nothing is
asked. The schedule (when a fetch is due) is checked on fixed moments, never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from roa2web.app import create_app
from roa2web.jobs.housekeeping import run_housekeeping
from roa2web.rates.fetch import FetchSettings, fetch_due, fetch_if_due, last_publication
from roa2web.rates.store import FetchStatus
from roa2web.settings import SettingsError, load_settings
from tests.conftest import admin_headers
from tests.support.feed_server import FeedServer, feed_server

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def bank() -> Iterator[FeedServer]:
    with feed_server() as server:
        yield server


# The app's own queue consumers would also run housekeeping (the fetch) at every quarter hour of the wall
# clock, racing the step these tests run; without in-process consumers only the tests run it.
NO_CONSUMERS = {"queue_in_process": False}


async def rates_health(app) -> tuple[str, dict]:
    response = await app.test_client().get("/health", headers=await admin_headers(app))
    body = await response.get_json()
    return body["status"], body["modules"]["rates"]


async def test_the_periodic_step_stores_the_feed_and_health_shows_it(settings_factory, bank):
    app = create_app(settings_factory(bnr_rates_enabled=True, bnr_rates_url=bank.url(), **NO_CONSUMERS))
    async with app.test_app():
        runtime = app.extensions["roa2web"]
        _, before = await rates_health(app)
        assert before["latest_day"] is None and before["last_success_at"] is None and before["stale"]
        steps = await run_housekeeping(runtime)  # what the periodic Huey task runs
        assert steps["exchange_rates"] == 6
        assert bank.requests == ["/nbrfxrates.xml"]
        stored = {rate.currency: str(rate.rate) for rate in await runtime.rates.on(dt.date(2026, 12, 4))}
        assert stored["EUR"] == "5.1133" and len(stored) == 6
        overall, rates = await rates_health(app)
        assert rates["status"] == "ok" and rates["fetch"] == "on" and rates["url"] == bank.url()
        assert rates["latest_day"] == "2026-12-04" and rates["last_success_at"] and rates["last_error"] is None
        assert overall == "ok"


@pytest.mark.parametrize(("path", "error"), [
    ("/error", "HTTP 500"),
    ("/slow", "unreachable"),
    ("/garbage", "<DataSet>"),
    ("/missing.xml", "HTTP 404"),
])
async def test_a_failed_fetch_stores_nothing_shows_in_health_and_the_app_goes_on(settings_factory, bank, path,
                                                                                  error):
    settings = settings_factory(bnr_rates_enabled=True, bnr_rates_url=bank.url(path), bnr_rates_timeout_s=0.5,
                                **NO_CONSUMERS)
    app = create_app(settings)
    async with app.test_app():
        runtime = app.extensions["roa2web"]
        steps = await run_housekeeping(runtime)
        assert steps["exchange_rates"] == 0 and bank.requests == [path]
        assert await runtime.rates.latest_day() is None
        overall, rates = await rates_health(app)
        assert rates["status"] == "down" and error in rates["last_error"]
        assert rates["last_error_at"] and rates["last_success_at"] is None
        assert overall == "degraded"  # an optional part: the app serves on
        admin = await admin_headers(app)
        assert (await app.test_client().get("/api/companies", headers=admin)).status_code == 200
        assert (await app.test_client().get("/ready")).status_code == 200

        # the bank answers again: the next due fetch stores the feed and health recovers
        fetch = FetchSettings(bank.url(), 5.0, HOUR)
        assert await fetch_if_due(runtime.rates, fetch, now=dt.datetime.now(UTC) + 2 * HOUR) == 6
        _, rates = await rates_health(app)
        assert rates["status"] == "ok" and rates["latest_day"] == "2026-12-04" and error in rates["last_error"]


@pytest.mark.parametrize("switch", [{"bnr_rates_enabled": False}, {"bnr_rates_url": ""}])
async def test_switched_off_nothing_is_asked(settings_factory, bank, switch):
    app = create_app(settings_factory(**{"bnr_rates_enabled": True, "bnr_rates_url": bank.url(), **switch,
                                         **NO_CONSUMERS}))
    async with app.test_app():
        steps = await run_housekeeping(app.extensions["roa2web"])
        assert steps["exchange_rates"] == 0 and bank.requests == []
        overall, rates = await rates_health(app)
        assert rates["status"] == "ok" and rates["fetch"] == "off" and overall == "ok"


def test_the_feed_address_must_be_http():
    with pytest.raises(SettingsError, match="BNR_RATES_URL"):
        load_settings(bnr_rates_url="file:///etc/passwd")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def status(attempt: str | None) -> FetchStatus:
    moment = at(attempt).replace(tzinfo=None) if attempt else None
    return FetchStatus("bnr", moment, None, "HTTP 500", moment, None)


@pytest.mark.parametrize(("now", "publication"), [
    ("2026-12-04 12:00", "2026-12-04 11:30"),  # Friday after publication
    ("2026-12-04 11:00", "2026-12-03 11:30"),  # Friday before it: Thursday's
    ("2026-12-05 18:00", "2026-12-04 11:30"),  # Saturday: Friday's
    ("2026-12-07 09:00", "2026-12-04 11:30"),  # Monday morning: still Friday's
])
def test_the_last_publication_is_a_weekdays_after_its_hour(now, publication):
    assert last_publication(at(now)) == at(publication)


def test_a_fetch_is_due_when_the_last_publication_is_missing_and_no_attempt_was_made_lately():
    friday = dt.date(2026, 12, 4)
    assert fetch_due(at("2026-12-04 12:00"), None, None, HOUR)  # nothing stored, never tried
    assert fetch_due(at("2026-12-04 12:00"), dt.date(2026, 12, 3), None, HOUR)  # Friday's not stored yet
    assert not fetch_due(at("2026-12-04 12:00"), friday, None, HOUR)  # stored
    assert not fetch_due(at("2026-12-06 12:00"), friday, status("2026-12-04 12:00"), HOUR)  # weekend
    assert not fetch_due(at("2026-12-07 11:00"), friday, status("2026-12-04 12:00"), HOUR)  # Monday, too early
    assert fetch_due(at("2026-12-07 11:45"), friday, status("2026-12-04 12:00"), HOUR)  # Monday's is out
    assert not fetch_due(at("2026-12-07 12:15"), friday, status("2026-12-07 11:45"), HOUR)  # tried 30 min ago
    assert fetch_due(at("2026-12-07 12:45"), friday, status("2026-12-07 11:45"), HOUR)  # an hour later, again
