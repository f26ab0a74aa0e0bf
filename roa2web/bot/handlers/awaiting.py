"""Plain text a chat sends when the bot asked for something: routed by what the chat's state awaits.

A flow that asks a question sets the chat's `awaiting` (ChatLinks.set_awaiting, e.g. "email-code"
or "edit:<receipt id>:<field>") and registers the answer's handler under the prefix before the
first ":" with `on_answer`. Text that nothing awaits goes to the fallback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.chats.links import ChatState

type AnswerHandler = Callable[[Update, BotContext, ChatState], Awaitable[None]]

_ANSWERS: dict[str, AnswerHandler] = {}


def on_answer(prefix: str) -> Callable[[AnswerHandler], AnswerHandler]:
    """Register the handler of the answers to questions whose `awaiting` starts with `prefix`."""

    def register(handler: AnswerHandler) -> AnswerHandler:
        _ANSWERS[prefix] = handler
        return handler

    return register


async def route_answer(update: Update, context: BotContext) -> None:
    """Give the text to the flow that awaits it; else let the next handlers (the fallback) take it."""
    chat = update.effective_chat
    if chat is None:
        return
    state = await runtime_of(context).chat_links.state(chat.id)
    handler = _ANSWERS.get((state.awaiting or "").split(":", 1)[0])
    if handler is None:
        return
    await handler(update, context, state)
    raise ApplicationHandlerStop  # answered: no other group looks at it


ANSWERS_GROUP = -2  # before the default group, so the fallback does not answer it too


def register(application: BotApplication) -> None:
    """The router of answers, in its own earlier group."""
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, route_answer), group=ANSWERS_GROUP)
