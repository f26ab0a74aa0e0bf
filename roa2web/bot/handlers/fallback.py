"""What the bot says to a message no other handler takes."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from roa2web.bot.context import BotApplication, BotContext

UNKNOWN_COMMAND = "Nu cunosc comanda {command}. Scrieți /ajutor pentru lista comenzilor."
NOT_UNDERSTOOD = "Nu am înțeles mesajul. Scrieți /ajutor pentru lista comenzilor."


async def answer_unknown(update: Update, context: BotContext) -> None:
    """Say the command is unknown (or the message not understood) and point to /ajutor."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or ""
    if text.startswith("/"):
        await message.reply_text(UNKNOWN_COMMAND.format(command=text.split()[0].split("@")[0]))
    else:
        await message.reply_text(NOT_UNDERSTOOD)


def register(application: BotApplication) -> None:
    """The fallback, added last to the default group: within a group only the first matching handler runs."""
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, answer_unknown))
