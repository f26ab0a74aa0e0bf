"""The `telegram_links`, `telegram_codes` and `telegram_chats` tables. All SQL of the chats module lives here.

Datetimes are naive UTC (as in the auth tables); Telegram ids are 64-bit (BIGINT). Every state
change of a code is one conditional UPDATE, so two requests racing on one code cannot both win,
on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import peewee
from peewee_async import AioModel

from roa2web.appdb import AppDatabase, Migration

COMPONENT = "telegram"
MIGRATIONS = (
    Migration(
        1,
        "telegram links, linking codes and chat state",
        (
            """CREATE TABLE telegram_links (
                chat_id BIGINT PRIMARY KEY,
                telegram_user_id BIGINT NOT NULL,
                telegram_username TEXT,
                user_id TEXT NOT NULL UNIQUE,
                linked_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE telegram_codes (
                id TEXT PRIMARY KEY,
                code_hash TEXT NOT NULL,
                kind TEXT NOT NULL,
                user_id TEXT NOT NULL,
                chat_id BIGINT,
                created_at TIMESTAMP NOT NULL,
                expires_at TIMESTAMP NOT NULL,
                used_at TIMESTAMP,
                tries INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX telegram_codes_hash ON telegram_codes (code_hash)",
            "CREATE INDEX telegram_codes_user ON telegram_codes (user_id)",
            "CREATE INDEX telegram_codes_chat ON telegram_codes (chat_id)",
            """CREATE TABLE telegram_chats (
                chat_id BIGINT PRIMARY KEY,
                company_id INTEGER,
                awaiting TEXT,
                data TEXT NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
)
WEB = "web"
EMAIL = "email"


class LinkRow(AioModel):
    """A chat linked to a user (one chat per user, one user per chat)."""

    chat_id = peewee.BigIntegerField(primary_key=True)
    telegram_user_id = peewee.BigIntegerField()
    telegram_username = peewee.TextField(null=True)
    user_id = peewee.TextField(unique=True)
    linked_at = peewee.DateTimeField()

    class Meta:
        """The table's name."""

        table_name = "telegram_links"


class CodeRow(AioModel):
    """A linking code, hashed: `web` (issued to a logged-in user) or `email` (mailed for one chat)."""

    id = peewee.TextField(primary_key=True)
    code_hash = peewee.TextField()
    kind = peewee.TextField()
    user_id = peewee.TextField()
    chat_id = peewee.BigIntegerField(null=True)
    created_at = peewee.DateTimeField()
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    tries = peewee.IntegerField(default=0)

    class Meta:
        """The table's name."""

        table_name = "telegram_codes"


class ChatRow(AioModel):
    """A chat's state: its current company, what the bot awaits from it, and that step's data (JSON)."""

    chat_id = peewee.BigIntegerField(primary_key=True)
    company_id = peewee.IntegerField(null=True)
    awaiting = peewee.TextField(null=True)
    data = peewee.TextField()
    updated_at = peewee.DateTimeField()

    class Meta:
        """The table's name."""

        table_name = "telegram_chats"


# --- codes


def new_code_id() -> str:
    """A fresh id for a code row (also salts an e-mailed code's hash)."""
    return uuid.uuid4().hex


async def insert_code(
    db: AppDatabase, *, code_id: str, code_hash: str, kind: str, user_id: str, chat_id: int | None,
    now: dt.datetime, expires_at: dt.datetime,
) -> None:
    """Store a new, unused code."""
    await CodeRow.insert(
        id=code_id, code_hash=code_hash, kind=kind, user_id=user_id, chat_id=chat_id, created_at=now,
        expires_at=expires_at, used_at=None, tries=0,
    ).returning(CodeRow.id).aio_execute(db)  # named: peewee-async needs it on PostgreSQL


async def drop_unused_web_codes(db: AppDatabase, user_id: str) -> int:
    """Forget the user's unused web codes (a new one replaces them)."""
    return int(await CodeRow.delete().where(
        (CodeRow.user_id == user_id) & (CodeRow.kind == WEB) & CodeRow.used_at.is_null()).aio_execute(db))


async def drop_unused_email_codes(db: AppDatabase, chat_id: int) -> int:
    """Forget the chat's unused e-mailed codes (a new one replaces them)."""
    return int(await CodeRow.delete().where(
        (CodeRow.chat_id == chat_id) & (CodeRow.kind == EMAIL) & CodeRow.used_at.is_null()).aio_execute(db))


async def drop_code(db: AppDatabase, code_id: str) -> None:
    """Forget one code (its mail could not be sent)."""
    await CodeRow.delete().where(CodeRow.id == code_id).aio_execute(db)


async def delete_old_codes(db: AppDatabase, before: dt.datetime) -> int:
    """Housekeeping: forget codes that expired before `before`."""
    return int(await CodeRow.delete().where(CodeRow.expires_at < before).aio_execute(db))


async def find_web_code(db: AppDatabase, code_hash: str) -> CodeRow | None:
    """The newest web code with this hash, used or not."""
    rows = await (CodeRow.select().where((CodeRow.code_hash == code_hash) & (CodeRow.kind == WEB))
                  .order_by(CodeRow.created_at.desc()).limit(1).aio_execute(db))
    return rows[0] if rows else None


async def latest_email_code(db: AppDatabase, chat_id: int) -> CodeRow | None:
    """The chat's newest e-mailed code, used or not."""
    rows = await (CodeRow.select().where((CodeRow.chat_id == chat_id) & (CodeRow.kind == EMAIL))
                  .order_by(CodeRow.created_at.desc()).limit(1).aio_execute(db))
    return rows[0] if rows else None


async def get_code(db: AppDatabase, code_id: str) -> CodeRow | None:
    """A code by id."""
    rows = await CodeRow.select().where(CodeRow.id == code_id).aio_execute(db)
    return rows[0] if rows else None


async def spend_code(db: AppDatabase, code_id: str, *, now: dt.datetime, chat_id: int, max_tries: int) -> bool:
    """Mark a live code used by `chat_id`, in one conditional UPDATE; False when it was not live (used, expired)."""
    count = await (
        CodeRow.update(used_at=now, chat_id=chat_id)
        .where((CodeRow.id == code_id) & CodeRow.used_at.is_null() & (CodeRow.expires_at > now)
               & (CodeRow.tries < max_tries))
        .aio_execute(db)
    )
    return bool(count)


async def count_wrong_try(db: AppDatabase, code_id: str, *, now: dt.datetime, max_tries: int) -> int | None:
    """Count a wrong try of a live code; at `max_tries` the code is spent. The tries so far, None if it was not live.

    Run it in a write transaction: the first UPDATE holds the row until the end, so the second
    and the read see this request's count, not a rival's half.
    """
    counted = await (
        CodeRow.update(tries=CodeRow.tries + 1)
        .where((CodeRow.id == code_id) & CodeRow.used_at.is_null() & (CodeRow.expires_at > now)
               & (CodeRow.tries < max_tries))
        .aio_execute(db)
    )
    if not counted:
        return None
    await (CodeRow.update(used_at=now)
           .where((CodeRow.id == code_id) & CodeRow.used_at.is_null() & (CodeRow.tries >= max_tries))
           .aio_execute(db))
    row = await get_code(db, code_id)
    return int(row.tries) if row is not None else None


# --- links


async def link_of_chat(db: AppDatabase, chat_id: int) -> LinkRow | None:
    """The chat's link."""
    rows = await LinkRow.select().where(LinkRow.chat_id == chat_id).aio_execute(db)
    return rows[0] if rows else None


async def link_of_user(db: AppDatabase, user_id: str) -> LinkRow | None:
    """The user's link."""
    rows = await LinkRow.select().where(LinkRow.user_id == user_id).aio_execute(db)
    return rows[0] if rows else None


async def replace_link(
    db: AppDatabase, *, chat_id: int, telegram_user_id: int, telegram_username: str | None, user_id: str,
    now: dt.datetime,
) -> None:
    """Link `chat_id` to `user_id`, dropping the user's earlier chat and the chat's earlier user.

    Run it in a write transaction that first locks the user's row (`auth.store.lock_user`).
    """
    await LinkRow.delete().where((LinkRow.user_id == user_id) | (LinkRow.chat_id == chat_id)).aio_execute(db)
    await LinkRow.insert(
        chat_id=chat_id, telegram_user_id=telegram_user_id, telegram_username=telegram_username, user_id=user_id,
        linked_at=now,
    ).returning(LinkRow.chat_id).aio_execute(db)


async def delete_link_of_chat(db: AppDatabase, chat_id: int) -> bool:
    """Unlink a chat; False when it was not linked."""
    return bool(await LinkRow.delete().where(LinkRow.chat_id == chat_id).aio_execute(db))


async def delete_link(db: AppDatabase, *, chat_id: int, user_id: str) -> bool:
    """Unlink exactly this chat of this user; False when that link is no longer there."""
    count = await LinkRow.delete().where((LinkRow.chat_id == chat_id) & (LinkRow.user_id == user_id)).aio_execute(db)
    return bool(count)


# --- chat state


async def chat_state(db: AppDatabase, chat_id: int) -> ChatRow | None:
    """The chat's state row, if it has one."""
    rows = await ChatRow.select().where(ChatRow.chat_id == chat_id).aio_execute(db)
    return rows[0] if rows else None


def load_data(text: str) -> dict[str, Any]:
    """A state's data column as a dict (anything else stored there reads as empty)."""
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


async def upsert_chat(db: AppDatabase, chat_id: int, now: dt.datetime, **changes: Any) -> None:
    """Create the chat's state or change the given columns of it, in one statement."""
    values: dict[str, Any] = {"company_id": None, "awaiting": None, "data": "{}"}
    if "data" in changes:
        changes["data"] = json.dumps(changes["data"] or {}, ensure_ascii=False, sort_keys=True)
    values.update(changes)
    update = {getattr(ChatRow, name): value for name, value in changes.items()}
    update[ChatRow.updated_at] = now
    await (ChatRow.insert(chat_id=chat_id, updated_at=now, **values)
           .on_conflict(conflict_target=[ChatRow.chat_id], update=update)
           .returning(ChatRow.chat_id).aio_execute(db))


async def delete_chat(db: AppDatabase, chat_id: int) -> None:
    """Forget a chat's state."""
    await ChatRow.delete().where(ChatRow.chat_id == chat_id).aio_execute(db)
