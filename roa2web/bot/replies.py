"""Errors a handler raised, answered to the chat in Romanian; the rest logged.

A failed update is answered once: the error handler stops the later handler groups too (without
that, a Problem raised by an earlier group, e.g. a wrong e-mailed code, would also reach the fallback).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from roa2web.bot.context import BotContext
from roa2web.problems import Problem

log = logging.getLogger("roa2web.bot")

UNEXPECTED = "Nu am putut răspunde acum. Încercați din nou peste câteva momente."


async def on_error(update: object, context: BotContext) -> None:
    """A handler failed: a Problem's detail goes to the chat as it is; anything else is logged and excused.

    Then no other handler looks at the update (ApplicationHandlerStop).
    """
    await _tell(update, context)
    raise ApplicationHandlerStop


async def _tell(update: object, context: BotContext) -> None:
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
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # the button stops spinning (unless the handler answered it)
            await update.callback_query.answer()
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as exc:
        log.warning("bot: could not tell chat %s about an error: %s", chat.id, exc)
