"""/firme: the chat's current company, chosen with inline buttons among the user's companies only.

A tap ("co:<company id>") is a request like any other: the guard checks the chat again and the
company must be one the user still has rights on; any other id (a forged or stale button) is
refused. Until a choice, the current company is the user's first (the guard's rule).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import LinkedChat, for_linked_chat, reply
from roa2web.bot.texts import escape, short_name
from roa2web.companies import Company

PREFIX = "co:"
MAX_BUTTONS = 100  # Telegram's bound on one inline keyboard
CHOOSE = "Alegeți firma curentă. Acum: <b>{name}</b>."
MORE = "Sunt afișate primele {shown} din cele {total} firme."
CHOSEN = "Firma curentă: <b>{name}</b>. Comenzile (/dashboard, /facturi…) răspund de acum pentru ea."
NOT_YOURS = "Nu aveți drepturi pe firma aleasă. Scrieți /firme pentru lista firmelor dumneavoastră."


def company_keyboard(companies: list[Company], current: Company) -> InlineKeyboardMarkup:
    """One button per company, one per row, the current one marked with ✓."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(("✓ " if company.id == current.id else "") + short_name(company.name),
                              callback_data=f"{PREFIX}{company.id}")]
        for company in companies[:MAX_BUTTONS]
    ])


@for_linked_chat
async def list_companies(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """The user's companies as buttons."""
    lines = [CHOOSE.format(name=escape(chat.company.name))]
    if len(chat.companies) > MAX_BUTTONS:
        lines.append(MORE.format(shown=MAX_BUTTONS, total=len(chat.companies)))
    if update.effective_chat is not None:
        await update.effective_chat.send_message("\n".join(lines), parse_mode=ParseMode.HTML,
                                                 reply_markup=company_keyboard(chat.companies, chat.company))


def tapped_company(data: str | None, chat: LinkedChat) -> Company | None:
    """The company a "co:<id>" tap names, if the user has rights on it."""
    raw = (data or "").removeprefix(PREFIX)
    if not raw.isascii() or not raw.isdigit():
        return None
    return next((company for company in chat.companies if company.id == int(raw)), None)


@for_linked_chat
async def choose_company(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """Make the tapped company the chat's current one, and say so in place of the buttons."""
    query = update.callback_query
    if query is None:
        return
    company = tapped_company(query.data, chat)
    if company is None:
        await reply(update, NOT_YOURS)
        return
    await runtime_of(context).chat_links.set_company(chat.chat_id, company.id)
    await query.answer(f"Firma curentă: {short_name(company.name)}")
    try:
        await query.edit_message_text(CHOSEN.format(name=escape(company.name)), parse_mode=ParseMode.HTML)
    except BadRequest as exc:  # the same choice tapped twice: Telegram refuses an edit that changes nothing
        if "not modified" not in str(exc).lower():
            raise


def register(application: BotApplication) -> None:
    """/firme and its buttons."""
    application.add_handler(CommandHandler("firme", list_companies))
    application.add_handler(CallbackQueryHandler(choose_company, pattern=f"^{PREFIX}"))
