"""What a handler reaches from its callback context: the process's runtime."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext

from roa2web.runtime import Runtime

RUNTIME_KEY = "roa2web.runtime"
type BotContext = CallbackContext[Any, dict[Any, Any], dict[Any, Any], dict[Any, Any]]
type BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def runtime_of(context: BotContext) -> Runtime:
    """The runtime the bot was built with: the same services (reports, receipts, jobs) the HTTP doors use."""
    runtime: Runtime = context.application.bot_data[RUNTIME_KEY]
    return runtime
