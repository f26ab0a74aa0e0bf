"""`ChatLinks`: a Telegram chat linked to a user by a one-time code (web app or e-mail), and each chat's state.

A web code (8 characters, `issue_code`) is typed as `/start CODE`; an e-mailed code (6 digits,
`request_email_code`) is typed back in the chat that asked for it, with at most
TELEGRAM_CODE_TRIES wrong tries. Codes are stored hashed, live TELEGRAM_LINK_CODE_MINUTES and are
spent by one conditional UPDATE: of two requests racing on one code exactly one links. A user
has one linked chat: linking another replaces it. Codes are never logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.auth import store as users
from roa2web.auth.principal import Principal
from roa2web.chats import store
from roa2web.chats.errors import (
    CodeTriesExhausted,
    LinkCodeExpired,
    LinkCodeInvalid,
    MailFailed,
    MailNotConfigured,
    NoCodePending,
    UserDisabled,
    WrongCode,
)
from roa2web.chats.mail import Mailer, MailError

log = logging.getLogger("roa2web.chats")

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a screen and typed on a phone
CODE_LENGTH = 8
EMAIL_CODE_DIGITS = 6
BOT_NAME = "botul Telegram ROA2WEB"


@dataclass(frozen=True)
class IssuedCode:
    """A web linking code, shown once to its user."""

    code: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class ChatLink:
    """A chat linked to a user."""

    chat_id: int
    telegram_user_id: int
    user_id: str
    telegram_username: str | None
    linked_at: dt.datetime


@dataclass(frozen=True)
class ChatState:
    """What the bot keeps per chat: the current company (None: the user's first), what it awaits, and its data."""

    chat_id: int
    company_id: int | None = None
    awaiting: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def utc_now() -> dt.datetime:
    """Now, UTC-aware."""
    return dt.datetime.now(dt.UTC)


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _web_hash(code: str) -> str:
    return hashlib.sha256(f"web:{code}".encode()).hexdigest()


def _email_hash(code_id: str, code: str) -> str:
    return hashlib.sha256(f"email:{code_id}:{code}".encode()).hexdigest()


def _link(row: store.LinkRow) -> ChatLink:
    return ChatLink(chat_id=int(row.chat_id), telegram_user_id=int(row.telegram_user_id), user_id=row.user_id,
                    telegram_username=row.telegram_username, linked_at=_aware(row.linked_at))


def minutes_text(minutes: int) -> str:
    """'un minut', '10 minute', '20 de minute' (how long a code lives, in the words people read)."""
    return "un minut" if minutes == 1 else f"{minutes} minute" if minutes < 20 else f"{minutes} de minute"


class ChatLinks:
    """Linking codes, chat links and chat state in the app database."""

    def __init__(
        self,
        db: AppDatabase,
        *,
        mailer: Mailer | None,
        code_minutes: int = 10,
        code_tries: int = 5,
        clock: Callable[[], dt.datetime] = utc_now,
        bot_username: Callable[[], str | None] = lambda: None,
    ) -> None:
        """Codes live `code_minutes`; `code_tries` wrong e-mailed codes spend one; `mailer` None: no e-mail login.

        `clock` gives the UTC-aware now (tests move it); `bot_username` the bot's @name for the e-mail, if known.
        """
        self.db = db
        self.mailer = mailer
        self.code_minutes = code_minutes
        self.code_tries = code_tries
        self.clock = clock
        self.bot_username = bot_username

    def _now(self) -> dt.datetime:
        return _naive(self.clock())

    # --- web codes

    async def issue_code(self, user_id: str) -> IssuedCode:
        """A new one-time code for `user_id` (replacing their unused one), valid TELEGRAM_LINK_CODE_MINUTES."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        now = self._now()
        expires_at = now + dt.timedelta(minutes=self.code_minutes)
        async with write_transaction(self.db):
            await users.lock_user(self.db, user_id)  # two tabs asking at once: one code stays live
            await store.drop_unused_web_codes(self.db, user_id)
            await store.insert_code(self.db, code_id=store.new_code_id(), code_hash=_web_hash(code), kind=store.WEB,
                                    user_id=user_id, chat_id=None, now=now, expires_at=expires_at)
        return IssuedCode(code=code, expires_at=_aware(expires_at))

    async def link_with_code(
        self, code: str, *, telegram_user_id: int, chat_id: int, telegram_username: str | None = None
    ) -> ChatLink:
        """Spend a web code and link the chat to its user (`/start CODE`).

        Raises LinkCodeInvalid (unknown or used), LinkCodeExpired, UserDisabled.
        """
        typed = "".join(code.split()).upper()
        if len(typed) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in typed):
            raise LinkCodeInvalid()
        row = await store.find_web_code(self.db, _web_hash(typed))
        if row is None or row.used_at is not None:
            raise LinkCodeInvalid()
        if row.expires_at <= self._now():
            raise LinkCodeExpired()
        return await self._spend_and_link(row, chat_id=chat_id, telegram_user_id=telegram_user_id,
                                          telegram_username=telegram_username)

    async def _spend_and_link(
        self, row: store.CodeRow, *, chat_id: int, telegram_user_id: int, telegram_username: str | None
    ) -> ChatLink:
        user = await users.get_user(self.db, row.user_id)
        if user is None or user.disabled:
            raise UserDisabled()
        now = self._now()
        async with write_transaction(self.db):
            spent = await store.spend_code(self.db, row.id, now=now, chat_id=chat_id, max_tries=self.code_tries)
            if spent:
                await users.lock_user(self.db, user.id)
                await store.replace_link(self.db, chat_id=chat_id, telegram_user_id=telegram_user_id,
                                         telegram_username=telegram_username, user_id=user.id, now=now)
                await store.delete_chat(self.db, chat_id)  # a fresh start: the first company, nothing awaited
        if not spent:  # a rival spent it first, or its minutes ended meanwhile
            current = await store.get_code(self.db, row.id)
            if current is not None and current.used_at is None and current.expires_at <= now:
                raise LinkCodeExpired()
            if row.kind == store.EMAIL:
                raise NoCodePending()
            raise LinkCodeInvalid()
        log.info("telegram chat linked to user %s", user.id)
        return ChatLink(chat_id=chat_id, telegram_user_id=telegram_user_id, user_id=user.id,
                        telegram_username=telegram_username, linked_at=_aware(now))

    # --- e-mailed codes

    async def request_email_code(self, email: str, *, telegram_user_id: int, chat_id: int) -> None:
        """E-mail a 6-digit code to the enabled user with this address (`/login email`).

        An unknown address sends nothing and returns the same way. Raises MailNotConfigured (no
        SMTP_HOST) and MailFailed (the server refused; no code stays live).
        """
        if self.mailer is None:
            raise MailNotConfigured()
        found = [user for user in await users.users_with_email(self.db, email) if not user.disabled]
        if len(found) != 1:  # none, or an address two accounts share: nobody to send it to
            log.info("telegram e-mail code asked for an address of %d enabled users: nothing sent", len(found))
            return
        user = found[0]
        code = f"{secrets.randbelow(10**EMAIL_CODE_DIGITS):0{EMAIL_CODE_DIGITS}d}"
        code_id = store.new_code_id()
        now = self._now()
        async with write_transaction(self.db):
            await store.drop_unused_email_codes(self.db, chat_id)
            await store.insert_code(self.db, code_id=code_id, code_hash=_email_hash(code_id, code), kind=store.EMAIL,
                                    user_id=user.id, chat_id=chat_id, now=now,
                                    expires_at=now + dt.timedelta(minutes=self.code_minutes))
        try:
            await self.mailer.send(user.email or email, *self._email_text(code))
        except MailError as exc:
            await store.drop_code(self.db, code_id)
            log.warning("telegram login code mail failed: %s", exc)
            raise MailFailed() from None

    def _email_text(self, code: str) -> tuple[str, str]:
        bot = self.bot_username()
        name = f"{BOT_NAME} (@{bot})" if bot else BOT_NAME
        minutes = minutes_text(self.code_minutes)
        subject = f"Codul de conectare la {BOT_NAME}: {code}"
        body = (
            "Bună ziua,\n\n"
            f"Cineva (probabil dumneavoastră) a cerut conectarea contului ROA2WEB la {name}.\n\n"
            f"Codul de conectare este: {code}\n\n"
            f"Scrieți-l în conversația cu botul în următoarele {minutes}; după aceea codul expiră.\n"
            "Dacă nu ați cerut dumneavoastră codul, ignorați acest mesaj: contul rămâne neconectat.\n\n"
            "ROA2WEB\n"
        )
        return subject, body

    async def verify_email_code(
        self, chat_id: int, code: str, *, telegram_user_id: int, telegram_username: str | None = None
    ) -> ChatLink:
        """Check the e-mailed code typed in `chat_id` and link the chat to its user.

        Raises WrongCode (with `tries_left`), CodeTriesExhausted, LinkCodeExpired, NoCodePending, UserDisabled.
        """
        row = await store.latest_email_code(self.db, chat_id)
        if row is None:
            raise NoCodePending()
        if row.used_at is not None:
            if row.tries >= self.code_tries:
                raise CodeTriesExhausted()
            raise NoCodePending()
        now = self._now()
        if row.expires_at <= now:
            raise LinkCodeExpired()
        typed = "".join(code.split())
        if hmac.compare_digest(_email_hash(row.id, typed), row.code_hash):
            return await self._spend_and_link(row, chat_id=chat_id, telegram_user_id=telegram_user_id,
                                              telegram_username=telegram_username)
        async with write_transaction(self.db):
            tries = await store.count_wrong_try(self.db, row.id, now=now, max_tries=self.code_tries)
        if tries is None:  # spent or expired meanwhile: say what it is now
            return await self.verify_email_code(chat_id, code, telegram_user_id=telegram_user_id,
                                                telegram_username=telegram_username)
        if tries >= self.code_tries:
            raise CodeTriesExhausted()
        raise WrongCode(self.code_tries - tries)

    # --- links

    async def link_of_chat(self, chat_id: int) -> ChatLink | None:
        """The chat's link, if any."""
        row = await store.link_of_chat(self.db, chat_id)
        return _link(row) if row is not None else None

    async def link_of_user(self, user_id: str) -> ChatLink | None:
        """The user's linked chat, if any."""
        row = await store.link_of_user(self.db, user_id)
        return _link(row) if row is not None else None

    async def principal_of_chat(self, chat_id: int) -> Principal | None:
        """Who the chat acts as: None when it is not linked, or its user is gone or disabled."""
        link = await store.link_of_chat(self.db, chat_id)
        if link is None:
            return None
        user = await users.get_user(self.db, link.user_id)
        if user is None or user.disabled:
            return None
        return user.principal()

    async def unlink_chat(self, chat_id: int) -> bool:
        """Unlink a chat (`/logout`) and forget its state; False when it was not linked."""
        async with write_transaction(self.db):
            unlinked = await store.delete_link_of_chat(self.db, chat_id)
            await store.delete_chat(self.db, chat_id)
        if unlinked:
            log.info("telegram chat unlinked")
        return unlinked

    async def unlink_user(self, user_id: str) -> bool:
        """Unlink the user's chat and forget its state; False when the user had none."""
        link = await store.link_of_user(self.db, user_id)
        if link is None:
            return False
        async with write_transaction(self.db):
            unlinked = await store.delete_link(self.db, chat_id=int(link.chat_id), user_id=user_id)
            if unlinked:
                await store.delete_chat(self.db, int(link.chat_id))
        if unlinked:
            log.info("telegram chat of user %s unlinked", user_id)
        return unlinked

    # --- chat state

    async def state(self, chat_id: int) -> ChatState:
        """The chat's state (empty for a chat never seen)."""
        row = await store.chat_state(self.db, chat_id)
        if row is None:
            return ChatState(chat_id)
        company = int(row.company_id) if row.company_id is not None else None
        return ChatState(chat_id, company, row.awaiting, store.load_data(row.data))

    async def set_company(self, chat_id: int, company_id: int | None) -> None:
        """Make `company_id` the chat's current company (None: back to the user's first)."""
        await store.upsert_chat(self.db, chat_id, self._now(), company_id=company_id)

    async def set_awaiting(self, chat_id: int, awaiting: str | None, data: dict[str, Any] | None = None) -> None:
        """Record what the bot awaits from the chat next (None: nothing) and that step's data."""
        await store.upsert_chat(self.db, chat_id, self._now(), awaiting=awaiting, data=data or {})

    async def delete_old_codes(self, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
        """Housekeeping: forget codes that expired more than `older_than` ago."""
        return await store.delete_old_codes(self.db, self._now() - older_than)
