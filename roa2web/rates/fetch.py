"""Fetching the bank's daily feed (BNR_RATES_URL) into the app database, when it is due.

The bank publishes the day's reference rates around 13:00 Bucharest time on banking days. A fetch
is due when the table lacks the rates of the last publication (a weekday, from 11:30 UTC: 13:30
in winter, 14:30 in summer) and the last attempt is at least BNR_RATES_RETRY_MINUTES old: once a
weekday after publication, then again each interval while the bank is late, the network is down
or the day is a holiday (the feed still shows the day before). A failure is logged and recorded
(/health shows it); it never stops the process.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from roa2web import __version__
from roa2web.rates.bnr import MAX_DOCUMENT_BYTES, BnrFeedError
from roa2web.rates.service import ExchangeRates
from roa2web.rates.store import FetchStatus

log = logging.getLogger("roa2web.rates")
PUBLISHED_BY_UTC = dt.time(11, 30)


class FetchFailed(Exception):
    """The feed could not be read (network, HTTP status, size)."""


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Where and how the feed is fetched (BNR_RATES_*)."""

    url: str
    timeout_s: float
    retry_after: dt.timedelta


def last_publication(now: dt.datetime) -> dt.datetime:
    """The last weekday moment (PUBLISHED_BY_UTC, UTC) at or before `now` by which the bank has published."""
    moment = dt.datetime.combine(now.astimezone(dt.UTC).date(), PUBLISHED_BY_UTC, dt.UTC)
    if moment > now:
        moment -= dt.timedelta(days=1)
    while moment.weekday() >= 5:
        moment -= dt.timedelta(days=1)
    return moment


def fetch_due(now: dt.datetime, latest_day: dt.date | None, status: FetchStatus | None,
              retry_after: dt.timedelta) -> bool:
    """Whether to fetch now: the last publication's day is not stored and no attempt was made lately."""
    if latest_day is not None and latest_day >= last_publication(now).date():
        return False
    if status is None or status.last_attempt_at is None:
        return True
    return now - status.last_attempt_at.replace(tzinfo=dt.UTC) >= retry_after


def download(url: str, timeout_s: float, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The document at `url` (blocking: run it in a thread); FetchFailed on any failure."""
    if not url.startswith(("https://", "http://")):
        raise FetchFailed(f"{url!r} is not an http(s) address")
    # S310: only http(s), checked above (and by the setting's validator)
    request = urllib.request.Request(url, headers={"User-Agent": f"roa2web/{__version__}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            body: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchFailed(f"HTTP {error.code} from {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchFailed(f"{url} unreachable: {reason}") from None
    if len(body) > max_bytes:
        raise FetchFailed(f"{url} sent more than {max_bytes} bytes")
    return body


async def fetch_now(rates: ExchangeRates, settings: FetchSettings) -> int:
    """Fetch and store the feed once; record how it went. Returns the rates stored (0 on failure)."""
    try:
        document = await asyncio.to_thread(download, settings.url, settings.timeout_s)
        imported = await rates.import_document(document)
    except (FetchFailed, BnrFeedError) as error:
        log.warning("BNR exchange rates not fetched: %s", error)
        await rates.fetched(error=str(error))
        return 0
    await rates.fetched(stored=imported.rates)
    log.info("BNR exchange rates: %d rates of %s stored", imported.rates, imported.last_day)
    return imported.rates


async def fetch_if_due(rates: ExchangeRates, settings: FetchSettings, now: dt.datetime | None = None) -> int:
    """Fetch the feed when `fetch_due`; the rates stored (0 when not due or failed)."""
    now = now or dt.datetime.now(dt.UTC)
    if not fetch_due(now, await rates.latest_day("EUR"), await rates.fetch_status(), settings.retry_after):
        return 0
    return await fetch_now(rates, settings)
