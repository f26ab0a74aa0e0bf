"""The bot's command menu (the "/" list Telegram shows), with Romanian descriptions, set once at start."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

log = logging.getLogger("roa2web.bot")

MENU: tuple[tuple[str, str], ...] = (
    ("dashboard", "Indicatorii lunii, cu graficul pe 12 luni"),
    ("facturi", "Facturile de vânzare neîncasate"),
    ("restante", "Creanțe și datorii restante, pe vechime"),
    ("trezorerie", "Soldurile de casă și bancă"),
    ("sold", "Soldul unui cont, de ex. /sold 5121"),
    ("balanta", "Balanța de verificare ca fișier Excel"),
    ("firme", "Alegeți firma curentă"),
    ("start", "Legați contul cu codul din aplicația web"),
    ("login", "Legați contul cu un cod primit pe e-mail"),
    ("logout", "Dezlegați contul de Telegram"),
    ("ajutor", "Lista comenzilor"),
)


async def set_command_menu(bot: Bot) -> None:
    """Tell Telegram the command menu; a refusal or an unreachable Bot API is only logged (the bot runs on)."""
    try:
        await bot.set_my_commands([BotCommand(command, description) for command, description in MENU])
    except (TelegramError, OSError) as exc:
        log.warning("bot: could not set the command menu: %s", exc)
