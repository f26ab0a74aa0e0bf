"""How the bot's commands read reports: the firm's day and the cached reports, as the HTTP API reads them.

Reports come from `runtime.reports` (the same service and cache entries as `/api/reports/...`),
never from our own HTTP endpoints, and are decoded as a client decodes the API's JSON, so the
`roa2web.bot.texts` functions get exactly what the web gets. A report the ledger cannot give
raises its Problem (LedgerError, LedgerCircuitOpen, CompanyNotFound…): the bot's error handler
sends its Romanian detail to the chat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from roa2web.bot.context import BotContext, runtime_of
from roa2web.dates import today as firm_today

TODAY_KEY = "roa2web.today"  # bot_data: a `() -> date` in place of the firm's today (a test's fixed day)


def bot_today(context: BotContext) -> dt.date:
    """The firm's today (Europe/Bucharest), or the day bot_data[TODAY_KEY] gives."""
    today: Callable[[], dt.date] = context.application.bot_data.get(TODAY_KEY, firm_today)
    return today()


async def read_report(context: BotContext, report: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The report as the HTTP API serves it (cached bytes), decoded: money as numbers, dates as text."""
    cached, _outcome = await runtime_of(context).reports.get(report, params)
    body: dict[str, Any] = orjson.loads(cached.body)
    return body
