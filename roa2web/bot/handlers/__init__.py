"""The bot's handlers, each module adding its own to the Application; the fallback comes last."""

from __future__ import annotations

from roa2web.bot.context import BotApplication
from roa2web.bot.handlers import (
    awaiting,
    companies,
    fallback,
    gate,
    help,
    linking,
    receipt_edit,
    receipts,
    reports,
    trial_balance,
)


def register_handlers(application: BotApplication) -> None:
    """Add every handler, in the order they are tried (the fallback answers what nobody took).

    The answers to the bot's questions come first (their own group), then the gate that keeps
    unlinked chats to /start, /login and /ajutor (its own group), then each module's commands,
    buttons and files in the default group, where only the first matching handler runs; the
    fallback is added last.
    """
    awaiting.register(application)
    gate.register(application)
    linking.register(application)
    companies.register(application)
    help.register(application)
    reports.register(application)
    trial_balance.register(application)
    receipts.register(application)
    receipt_edit.register(application)
    fallback.register(application)
