"""The door before every command: an unlinked chat may use only /start, /login and /ajutor.

Any other command of an unlinked chat (whether or not a handler for it exists) gets the guard's
NOT_LINKED sentence, and in a group chat (unless TELEGRAM_ALLOW_GROUPS) GROUPS_OFF; both count
towards the chat's rate limit. A linked chat's command passes untouched: its handler's own guard
(`@for_linked_chat`) counts it and checks the rest.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import GROUPS_OFF, NOT_LINKED, groups_refused, rate_limiter, reply

OPEN_COMMANDS = frozenset({"start", "login", "ajutor", "help"})  # what an unlinked chat may use
GATE_GROUP = -1  # after the answers to the bot's questions (-2), before the commands (0)


def command_of(message: Message, bot_username: str | None) -> str | None:
    """The command's name, lowercase, without "@bot"; None when it is addressed to another bot."""
    word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    if not word.startswith("/"):
        return None
    name, _, addressee = word[1:].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    return name.lower()


async def gate(update: Update, context: BotContext) -> None:
    """Refuse a command an unlinked (or group) chat may not use; let every other command through."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    command = command_of(message, context.bot.username)
    if command is None or command in OPEN_COMMANDS:
        return
    if groups_refused(update, context):
        rate_limiter(context).check(chat.id)
        await reply(update, GROUPS_OFF)
        raise ApplicationHandlerStop
    if await runtime_of(context).chat_links.principal_of_chat(chat.id) is None:
        rate_limiter(context).check(chat.id)
        await reply(update, NOT_LINKED)
        raise ApplicationHandlerStop


def register(application: BotApplication) -> None:
    """The gate, in its own group before the commands."""
    application.add_handler(MessageHandler(filters.COMMAND, gate), group=GATE_GROUP)
