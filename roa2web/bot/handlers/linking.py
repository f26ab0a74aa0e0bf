"""Linking a chat to a ROA2WEB user: /start CODE, /login e-mail with the code typed back, /logout.

`/start CODE` takes the web app's code (also its deep link t.me/<bot>?start=CODE, which arrives
the same way); `/login` e-mails a 6-digit code that the next plain text of the chat is checked as.

The linking's problems (a wrong, used or expired code, no SMTP) reach the error handler, which
sends their Romanian detail. Codes are never logged nor repeated back.
"""

from __future__ import annotations

import re

from telegram import Chat, Update, User
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from roa2web.auth.principal import Principal
from roa2web.bot.context import BotApplication, BotContext, runtime_of
from roa2web.bot.guard import GROUPS_OFF, current_company, groups_refused, rate_limited, rate_limiter
from roa2web.bot.handlers.awaiting import on_answer
from roa2web.bot.texts import escape
from roa2web.chats.errors import WrongCode
from roa2web.chats.links import EMAIL_CODE_DIGITS, ChatState, minutes_text
from roa2web.problems import Problem
from roa2web.runtime import Runtime

EMAIL_CODE = "email-code"  # the chat's `awaiting` while an e-mailed code is expected

HOW_TO_LINK = "\n".join([
    "Bun venit la <b>ROA2WEB</b>, asistentul contabil al firmei!",
    "Contul de Telegram nu este încă legat de un utilizator ROA2WEB. Îl puteți lega în două feluri:",
    "",
    "1. În aplicația web deschideți pagina <b>Telegram</b>, cereți un cod și trimiteți aici "
    "/start COD (sau apăsați linkul de acolo).",
    "2. Scrieți /login adresa@firma.ro (adresa contului ROA2WEB): primiți pe e-mail un cod de "
    f"{EMAIL_CODE_DIGITS} cifre, pe care îl scrieți aici.",
])
ALREADY_LINKED = "Contul de Telegram este deja legat de utilizatorul <b>{name}</b>."
LOGIN_USAGE = ("Scrieți /login urmat de adresa de e-mail a contului ROA2WEB, de exemplu: /login ana@firma.ro")
CODE_SENT = ("Dacă adresa aparține unui utilizator ROA2WEB, am trimis la ea un cod de {digits} cifre. "
             "Scrieți aici codul (este valabil {minutes}).")
CODE_AWAITED = ("Aștept codul de {digits} cifre primit pe e-mail. Pentru un cod nou scrieți "
                "/login adresa@firma.ro, iar pentru codul din aplicația web /start COD.")
LOGGED_OUT = ("Contul de Telegram a fost dezlegat de ROA2WEB. Pentru a-l lega din nou: /start COD "
              "(din aplicația web) sau /login adresa@firma.ro.")
NOTHING_TO_UNLINK = "Contul de Telegram nu era legat de niciun utilizator ROA2WEB."

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TYPED_CODE = re.compile(rf"[0-9]{{{EMAIL_CODE_DIGITS}}}")


async def status_text(runtime: Runtime, chat_id: int, principal: Principal, *, welcome: bool) -> str:
    """Who the chat is linked to, its current company, and what to do next."""
    current, companies = await current_company(runtime, chat_id, principal)
    name = escape(principal.display_name or principal.username)
    lines = [f"Bun venit, <b>{name}</b>! Contul de Telegram este acum legat de ROA2WEB."] if welcome else [
        ALREADY_LINKED.format(name=name)]
    if current is None:
        lines.append("Utilizatorul nu are încă drepturi pe nicio firmă; cereți-le administratorului ROA2WEB.")
        lines += ["", "/ajutor – comenzile", "/logout – dezleagă contul"]
        return "\n".join(lines)
    lines.append(f"Firma curentă: <b>{escape(current.name)}</b>.")
    lines += ["", "Ce urmează:", "/dashboard – indicatorii lunii pentru firma curentă"]
    if len(companies) > 1:
        lines.append(f"/firme – alegeți altă firmă (aveți acces la {len(companies)})")
    lines.append("/ajutor – toate comenzile")
    return "\n".join(lines)


async def private_sender(update: Update, context: BotContext) -> tuple[Chat, User] | None:
    """The chat and user of a linking command; None (after saying GROUPS_OFF) in a group where it is refused."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if groups_refused(update, context):
        await chat.send_message(GROUPS_OFF)
        return None
    return chat, user


@rate_limited
async def start(update: Update, context: BotContext) -> None:
    """`/start CODE`: link the chat with the web app's code; `/start`: say whether and how it is linked."""
    sender = await private_sender(update, context)
    if sender is None:
        return
    chat, user = sender
    runtime = runtime_of(context)
    code = "".join(context.args or [])
    if code:
        await runtime.chat_links.link_with_code(code, telegram_user_id=user.id, chat_id=chat.id,
                                                telegram_username=user.username)
    principal = await runtime.chat_links.principal_of_chat(chat.id)
    if principal is None:
        await chat.send_message(HOW_TO_LINK, parse_mode=ParseMode.HTML)
        return
    text = await status_text(runtime, chat.id, principal, welcome=bool(code))
    await chat.send_message(text, parse_mode=ParseMode.HTML)


@rate_limited
async def login(update: Update, context: BotContext) -> None:
    """`/login e-mail`: e-mail a code to the user with that address, then await it in this chat."""
    sender = await private_sender(update, context)
    if sender is None:
        return
    chat, user = sender
    email = " ".join(context.args or []).strip()
    if not _EMAIL.fullmatch(email):
        await chat.send_message(LOGIN_USAGE)
        return
    chat_links = runtime_of(context).chat_links
    await chat_links.request_email_code(email, telegram_user_id=user.id, chat_id=chat.id)
    await chat_links.set_awaiting(chat.id, EMAIL_CODE)
    await chat.send_message(CODE_SENT.format(digits=EMAIL_CODE_DIGITS, minutes=minutes_text(chat_links.code_minutes)))


@on_answer(EMAIL_CODE)
async def email_code_typed(update: Update, context: BotContext, state: ChatState) -> None:
    """The e-mailed code typed back: link the chat, or say how many tries are left.

    Text that is not a 6-digit number is not counted as a try. A wrong code keeps the chat
    waiting; any other refusal (tries used up, expired, nothing pending) ends the wait.
    """
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None:
        return
    rate_limiter(context).check(chat.id)
    typed = "".join((message.text or "").split())
    if not _TYPED_CODE.fullmatch(typed):
        await chat.send_message(CODE_AWAITED.format(digits=EMAIL_CODE_DIGITS))
        return
    runtime = runtime_of(context)
    try:
        await runtime.chat_links.verify_email_code(chat.id, typed, telegram_user_id=user.id,
                                                   telegram_username=user.username)
    except WrongCode:
        raise
    except Problem:
        await runtime.chat_links.set_awaiting(chat.id, None)
        raise
    principal = await runtime.chat_links.principal_of_chat(chat.id)
    if principal is not None:
        await chat.send_message(await status_text(runtime, chat.id, principal, welcome=True),
                                parse_mode=ParseMode.HTML)


@rate_limited
async def logout(update: Update, context: BotContext) -> None:
    """`/logout`: unlink this chat (the gate lets only linked chats get here)."""
    chat = update.effective_chat
    if chat is None:
        return
    unlinked = await runtime_of(context).chat_links.unlink_chat(chat.id)
    await chat.send_message(LOGGED_OUT if unlinked else NOTHING_TO_UNLINK)


def register(application: BotApplication) -> None:
    """/start, /login and /logout (the e-mailed code's answer is registered by `on_answer`)."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("login", login))
    application.add_handler(CommandHandler("logout", logout))
