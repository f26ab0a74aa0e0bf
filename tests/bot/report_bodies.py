"""The reports as the bot reads them: the real report service of a started app, its cached bytes decoded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson
from quart import Quart

TODAY = dt.date(2025, 12, 15)  # inside tests/support/demo_window.py's window
COMPANY_ID = 1


async def report_body(app: Quart, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Report `name` for `params` from the app's report service (the cache the HTTP API serves), decoded."""
    cached, _outcome = await app.extensions["roa2web"].reports.get(name, params)
    body: dict[str, Any] = orjson.loads(cached.body)
    return body
