"""The report commands: /dashboard (with its chart), /facturi (paged with buttons), /restante, /trezorerie, /sold.

Each works on the chat's current company (`@for_linked_chat`) and reads the reports as the HTTP
API does (`roa2web.bot.reading`: the same service, parameters and cache entries); the messages
are `roa2web.bot.texts`' Romanian HTML. A button tap ("inv:<page>") is checked like a message:
it only carries the page, and the company is the chat's current one at the time of the tap.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pydantic import ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from roa2web.bot.context import BotApplication, BotContext
from roa2web.bot.guard import LinkedChat, for_linked_chat
from roa2web.bot.reading import bot_today, read_report
from roa2web.bot.texts import (
    account_balance_params,
    account_balance_text,
    aging_params,
    dashboard_params,
    dashboard_text,
    invoice_page_count,
    invoices_text,
    join_invoice_pages,
    overdue_text,
    parse_account,
    telegram_length,
    treasury_params,
    treasury_text,
    unpaid_invoices_params,
)
from roa2web.exports.chart import ChartUnavailable, revenue_chart_png

log = logging.getLogger("roa2web.bot")

CAPTION_LIMIT = 1024  # characters of a photo's caption
CHART_CAPTION = "Venituri, cheltuieli și rezultat pe ultimele 12 luni"
NO_CHART = "<i>Graficul nu poate fi desenat acum; cifrele de mai sus sunt complete.</i>"
SOLD_USAGE = ("Scrieți contul după comandă: <code>/sold CONT</code>, de exemplu <code>/sold 5121</code> "
              "sau <code>/sold 401.00012</code>.")
INVOICE_PREFIX = "inv:"
MAX_INVOICE_FETCHES = 50  # pages of MAX_PAGE invoices: far beyond any firm's unpaid invoices


async def _say(context: BotContext, chat: LinkedChat, text: str, **extra: Any) -> None:
    await context.bot.send_message(chat.chat_id, text, parse_mode=ParseMode.HTML, **extra)


@for_linked_chat
async def show_dashboard(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/dashboard: the month's KPIs and the twelve-month chart (the text as its caption when it fits)."""
    dashboard = await read_report(context, "dashboard", dashboard_params(chat.company.id, bot_today(context)))
    text = dashboard_text(chat.company.name, dashboard)
    try:
        png = await asyncio.to_thread(revenue_chart_png, dashboard, title=f"{chat.company.name} · ultimele 12 luni")
    except ChartUnavailable:
        png = None
    except Exception:  # the figures still go out: a drawing failure must not hide them
        log.exception("bot: the dashboard chart of company %s could not be drawn", chat.company.id)
        png = None
    if png is None:
        await _say(context, chat, f"{text}\n\n{NO_CHART}")
    elif telegram_length(text) <= CAPTION_LIMIT:
        await context.bot.send_photo(chat.chat_id, png, caption=text, parse_mode=ParseMode.HTML,
                                     filename="grafic.png")
    else:
        await _say(context, chat, text)
        await context.bot.send_photo(chat.chat_id, png, caption=CHART_CAPTION, filename="grafic.png")


async def unpaid_invoices(context: BotContext, company_id: int) -> dict[str, Any]:
    """The unpaid sales invoices at today, every page of the listing joined."""
    today = bot_today(context)
    pages = [await read_report(context, "invoices", unpaid_invoices_params(company_id, today))]
    while pages[-1].get("next_cursor") and len(pages) < MAX_INVOICE_FETCHES:
        cursor = str(pages[-1]["next_cursor"])
        pages.append(await read_report(context, "invoices", unpaid_invoices_params(company_id, today, cursor)))
    return pages[0] if len(pages) == 1 else join_invoice_pages(pages)


def invoice_buttons(page_no: int, pages: int) -> InlineKeyboardMarkup | None:
    """"‹ Înapoi" / "Înainte ›" around page `page_no` of `pages` (none when there is only one page)."""
    row = []
    if page_no > 1:
        row.append(InlineKeyboardButton("‹ Înapoi", callback_data=f"{INVOICE_PREFIX}{page_no - 1}"))
    if page_no < pages:
        row.append(InlineKeyboardButton("Înainte ›", callback_data=f"{INVOICE_PREFIX}{page_no + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


async def invoice_page(context: BotContext, chat: LinkedChat, page_no: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page `page_no` (clamped) of the chat company's unpaid invoices, with its buttons."""
    listing = await unpaid_invoices(context, chat.company.id)
    pages = invoice_page_count(listing)
    page_no = min(max(page_no, 1), pages)
    return invoices_text(chat.company.name, listing, page_no=page_no), invoice_buttons(page_no, pages)


@for_linked_chat
async def show_invoices(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/facturi: the first page of the unpaid sales invoices, overdue ones first."""
    text, buttons = await invoice_page(context, chat, 1)
    await _say(context, chat, text, reply_markup=buttons)


def tapped_page(data: str | None) -> int:
    """The page an "inv:<page>" tap asks for (1 when the data is not a page number)."""
    number = (data or "").removeprefix(INVOICE_PREFIX)
    return int(number) if number.isdigit() and len(number) <= 6 else 1


@for_linked_chat
async def turn_invoice_page(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """A tap on "‹ Înapoi" / "Înainte ›": the message shows that page (of the chat's current company)."""
    query = update.callback_query
    assert query is not None  # the handler only takes callback queries
    await query.answer()
    text, buttons = await invoice_page(context, chat, tapped_page(query.data))
    if not isinstance(query.message, Message):  # too old for Telegram to let us edit it
        await _say(context, chat, text, reply_markup=buttons)
        return
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=buttons)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # the same page tapped twice: nothing to change
            raise


@for_linked_chat
async def show_overdue(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/restante: open receivables and payables by age, with the largest overdue partners."""
    today = bot_today(context)
    sales, purchases = await asyncio.gather(
        read_report(context, "invoices_aging", aging_params(chat.company.id, today, "sales")),
        read_report(context, "invoices_aging", aging_params(chat.company.id, today, "purchases")),
    )
    await _say(context, chat, overdue_text(chat.company.name, sales, purchases))


@for_linked_chat
async def show_treasury(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/trezorerie: each cash and bank account's balance since 1 January."""
    treasury = await read_report(context, "treasury", treasury_params(chat.company.id, bot_today(context)))
    await _say(context, chat, treasury_text(chat.company.name, treasury))


@for_linked_chat
async def show_account_balance(update: Update, context: BotContext, chat: LinkedChat) -> None:
    """/sold CONT: the account's opening balance, turnover and closing balance, year to date."""
    account = parse_account(" ".join(context.args or []))
    try:
        params = None if account is None else account_balance_params(chat.company.id, account, bot_today(context))
    except ValidationError:  # a code longer than the report takes
        params = None
    if account is None or params is None:
        await _say(context, chat, SOLD_USAGE)
        return
    trial_balance = await read_report(context, "trial_balance", params)
    await _say(context, chat, account_balance_text(chat.company.name, account, trial_balance))


def register(application: BotApplication) -> None:
    """The report commands and the invoice page buttons."""
    application.add_handler(CommandHandler("dashboard", show_dashboard))
    application.add_handler(CommandHandler("facturi", show_invoices))
    application.add_handler(CallbackQueryHandler(turn_invoice_page, pattern=f"^{INVOICE_PREFIX}"))
    application.add_handler(CommandHandler("restante", show_overdue))
    application.add_handler(CommandHandler("trezorerie", show_treasury))
    application.add_handler(CommandHandler("sold", show_account_balance))
