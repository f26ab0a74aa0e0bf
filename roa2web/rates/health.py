"""The exchange rates as a runtime part: /health's `rates` entry (last success, last error, latest day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from roa2web.dates import today as firm_today
from roa2web.rates.service import ExchangeRates
from roa2web.runtime import Part


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=dt.UTC).isoformat()


def rates_part(rates: ExchangeRates, *, fetch_url: str | None, today: dt.date | None = None) -> Part:
    """An optional part whose health tells how the rates stand; "down" while the last fetch failed.

    `fetch_url` is None when fetching is switched off (offline installs import the bank's files).
    `stale` is true when no EUR rate is stored for the window before today: receipts the 100 EUR
    limit decides cannot be approved until one is.
    """

    async def health() -> dict[str, Any]:
        status = await rates.fetch_status()
        latest = await rates.latest_day("EUR")
        day = today or firm_today()
        info: dict[str, Any] = {
            "fetch": "on" if fetch_url else "off",
            "url": fetch_url,
            "latest_day": latest.isoformat() if latest else None,
            "stale": latest is None or (day - latest).days > rates.window_days,
            "last_attempt_at": _time(status.last_attempt_at) if status else None,
            "last_success_at": _time(status.last_success_at) if status else None,
            "last_error": status.last_error if status else None,
            "last_error_at": _time(status.last_error_at) if status else None,
        }
        failing = (status is not None and status.last_error_at is not None
                   and (status.last_success_at is None or status.last_error_at >= status.last_success_at))
        return {"status": "down" if failing and fetch_url else "ok", **info}

    return Part("rates", health, required=False)
