"""Install the bot into a server's runtime (not into a standalone worker: it has no chats to answer).

python-telegram-bot comes with the `telegram` extra: without it the part says so in /health
("disabled" with no token, "error" when a token asks for a bot that cannot run) and the rest of
the app, /api/telegram's linking codes included, serves as usual.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from roa2web.runtime import Part, Runtime

MISSING_EXTRA = "python-telegram-bot is not installed: install the `telegram` extra (pip install roa2web[telegram])"


def install_door(runtime: Runtime) -> None:
    """Build the bot part and register it; it runs only when TELEGRAM_BOT_TOKEN is set."""
    if importlib.util.find_spec("telegram") is None:
        runtime.add_part(missing_extra_part(token_set=runtime.settings.telegram_bot_token is not None))
        return
    from roa2web.bot.part import BotPart  # imports python-telegram-bot

    bot = BotPart(runtime)
    runtime.services.bot = bot
    runtime.add_part(bot.part())


def missing_extra_part(*, token_set: bool) -> Part:
    """The Telegram part of an install without python-telegram-bot."""

    async def health() -> dict[str, Any]:
        if token_set:
            return {"status": "error", "error": MISSING_EXTRA}
        return {"status": "disabled", "reason": MISSING_EXTRA}

    return Part("telegram", health, required=False)
