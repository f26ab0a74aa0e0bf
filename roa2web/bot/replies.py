"""Errors a handler raised, answered to the chat in Romanian; the rest logged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from roa2web.bot.context import BotContext
from roa2web.problems import Problem

log = logging.getLogger("roa2web.bot")

UNEXPECTED = "Nu am putut răspunde acum. Încercați din nou peste câteva momente."


async def on_error(update: object, context: BotContext) -> None:
    """A handler failed: a Problem's detail goes to the chat as it is; anything else is logged and excused."""
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Problem):
        text = error.client_detail
        if error.status >= 500:
            log.warning("bot: %s (%s)", error.kind, error.detail)
    elif isinstance(error, Forbidden):  # the user blocked the bot: nobody to tell
        log.info("bot: chat %s refused a message: %s", chat.id if chat else "-", error)
        return
    else:
        log.error("bot: a handler failed on %s", type(update).__name__, exc_info=error)
        text = UNEXPECTED
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as exc:
        log.warning("bot: could not tell chat %s about an error: %s", chat.id, exc)
