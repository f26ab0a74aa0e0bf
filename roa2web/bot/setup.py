"""Install the bot into a server's runtime (not into a standalone worker: it has no chats to answer)."""

from __future__ import annotations

from roa2web.bot.part import BotPart
from roa2web.runtime import Runtime


def install_door(runtime: Runtime) -> None:
    """Build the bot part and register it; it runs only when TELEGRAM_BOT_TOKEN is set."""
    bot = BotPart(runtime)
    runtime.services.bot = bot
    runtime.add_part(bot.part())
