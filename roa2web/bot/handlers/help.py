"""/ajutor (and /help): the commands a chat may use, or how to link it."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import rate_limited
from roa2web.bot.texts import help_text


@rate_limited
async def show_help(update: Update, context: BotContext) -> None:
    """Every command for a linked chat; the two ways of linking for another."""
    chat = update.effective_chat
    if chat is None:
        return
    linked = await runtime_of(context).chat_links.principal_of_chat(chat.id) is not None
    await chat.send_message(help_text(linked), parse_mode=ParseMode.HTML)


def register(application: BotApplication) -> None:
    """/ajutor and its English twin /help."""
    application.add_handler(CommandHandler(["ajutor", "help"], show_help))
