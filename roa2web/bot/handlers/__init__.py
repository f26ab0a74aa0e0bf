"""The bot's handlers, each module adding its own to the Application; the fallback comes last."""

from __future__ import annotations

from roa2web.bot.context import BotApplication
from roa2web.bot.handlers import fallback


def register_handlers(application: BotApplication) -> None:
    """Add every handler, in the order they are tried (the fallback answers what nobody took)."""
    fallback.register(application)
