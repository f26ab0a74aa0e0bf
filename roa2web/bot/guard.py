"""Who is writing, for which company, and whether they may: the checks every data handler runs first.

`@for_linked_chat` wraps a handler as `handler(update, context, chat)`: a linked, enabled user,
in a private chat (or a group when TELEGRAM_ALLOW_GROUPS), within the per-chat rate limit, with
the chat's current company — the one chosen with /firme while the user still has rights on it,
else the user's first company. Anyone else gets one Romanian sentence saying why, and the handler
does not run.
"""

from __future__ import annotations

import functools
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update

from roa2web.auth.principal import Principal
from roa2web.bot.context import BotContext, runtime_of
from roa2web.companies import Company, companies_for
from roa2web.problems import Problem
from roa2web.runtime import Runtime

NOT_LINKED = ("Contul de Telegram nu este legat de un utilizator ROA2WEB. Deschideți aplicația web, pagina "
              "Telegram, și trimiteți aici /start COD, sau scrieți /login adresa@firma.ro.")
NO_COMPANIES = "Utilizatorul dumneavoastră nu are drepturi pe nicio firmă."
GROUPS_OFF = "În grupuri nu răspund cu date. Scrieți-mi într-o conversație privată."
RATE_WINDOW_S = 60.0


class TooManyMessages(Problem):
    """A chat sent more than TELEGRAM_RATE_LIMIT_PER_MINUTE messages within a minute."""

    status = 429
    kind = "telegram-rate-limit"
    title = "Prea multe mesaje"


@dataclass(frozen=True)
class LinkedChat:
    """A linked user in a chat, with the company the chat is on."""

    chat_id: int
    principal: Principal
    company: Company
    companies: list[Company]


class ChatRateLimiter:
    """At most `per_minute` messages and taps per chat in any 60 seconds (in this process)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}

    def check(self, chat_id: int) -> None:
        """Count one message of `chat_id`; TooManyMessages past the limit (it is not counted then)."""
        now = self._clock()
        seen = self._seen.setdefault(chat_id, deque())
        while seen and now - seen[0] >= RATE_WINDOW_S:
            seen.popleft()
        if len(seen) >= self.per_minute:
            wait_s = math.ceil(RATE_WINDOW_S - (now - seen[0]))
            raise TooManyMessages(f"Prea multe mesaje într-un minut. Încercați din nou peste {wait_s} secunde.")
        seen.append(now)
        if len(self._seen) > 10_000:  # forget chats that have been quiet for a minute
            for quiet in [chat for chat, times in self._seen.items() if not times or now - times[-1] >= RATE_WINDOW_S]:
                del self._seen[quiet]


LIMITER_KEY = "roa2web.rate_limiter"


def rate_limiter(context: BotContext) -> ChatRateLimiter:
    """The bot's one per-chat limiter (made on first use from TELEGRAM_RATE_LIMIT_PER_MINUTE)."""
    data = context.application.bot_data
    if LIMITER_KEY not in data:
        data[LIMITER_KEY] = ChatRateLimiter(runtime_of(context).settings.telegram_rate_limit_per_minute)
    limiter: ChatRateLimiter = data[LIMITER_KEY]
    return limiter


async def reply(update: Update, text: str) -> None:
    """Answer the message or the button tap with a plain text."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text)


def groups_refused(update: Update, context: BotContext) -> bool:
    """Whether the update comes from a group chat while TELEGRAM_ALLOW_GROUPS is off."""
    chat = update.effective_chat
    return chat is not None and chat.type != "private" and not runtime_of(context).settings.telegram_allow_groups


async def current_company(
    runtime: Runtime, chat_id: int, principal: Principal,
) -> tuple[Company | None, list[Company]]:
    """The chat's company and the user's companies.

    The company is the one chosen with /firme while the user still has rights on it, else their
    first; None when they have none.
    """
    companies = await companies_for(runtime.ledger, principal)
    chosen = (await runtime.chat_links.state(chat_id)).company_id
    return next((c for c in companies if c.id == chosen), companies[0] if companies else None), companies


async def linked_chat(update: Update, context: BotContext) -> LinkedChat | None:
    """The checks of the module docstring; None when the chat was answered why not."""
    chat = update.effective_chat
    if chat is None:
        return None
    rate_limiter(context).check(chat.id)
    if groups_refused(update, context):
        await reply(update, GROUPS_OFF)
        return None
    runtime = runtime_of(context)
    principal = await runtime.chat_links.principal_of_chat(chat.id)
    if principal is None:
        await reply(update, NOT_LINKED)
        return None
    company, companies = await current_company(runtime, chat.id, principal)
    if company is None:
        await reply(update, NO_COMPANIES)
        return None
    return LinkedChat(chat.id, principal, company, companies)


type LinkedHandler = Callable[[Update, BotContext, LinkedChat], Awaitable[None]]


type Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]  # what PTB's handlers take


def for_linked_chat(handler: LinkedHandler) -> Handler:
    """Run `handler` only for a linked chat allowed to ask (see the module docstring)."""

    @functools.wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        chat = await linked_chat(update, context)
        if chat is not None:
            await handler(update, context, chat)

    return checked


def rate_limited(
    handler: Callable[[Update, BotContext], Awaitable[None]],
) -> Handler:
    """For handlers open to unlinked chats (/start, /login, /ajutor): only the per-chat limit."""

    @functools.wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        if update.effective_chat is not None:
            rate_limiter(context).check(update.effective_chat.id)
        await handler(update, context)

    return checked
