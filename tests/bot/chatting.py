"""Talking to the real bot through the fake Bot API: an app with the bot running, a message and its reply."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from quart import Quart

from roa2web.app import create_app
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from tests.support.fake_bot_api import ApiCall, FakeBotApi, bot_settings

WAIT_S = 30.0


@asynccontextmanager
async def running_bot_app(
    settings_factory: Callable[..., Settings], fake: FakeBotApi, **overrides: Any
) -> AsyncIterator[Quart]:
    """A started app whose bot runs against `fake` (settings `overrides` on top)."""
    app = create_app(settings_factory(**bot_settings(fake, **overrides)))
    async with app.test_app():
        runtime: Runtime = app.extensions["roa2web"]
        assert runtime.services.bot is not None
        assert await runtime.services.bot.wait_started(WAIT_S)
        yield app


@asynccontextmanager
async def running_bot(
    settings_factory: Callable[..., Settings], fake: FakeBotApi, **overrides: Any
) -> AsyncIterator[Runtime]:
    """`running_bot_app`'s runtime."""
    async with running_bot_app(settings_factory, fake, **overrides) as app:
        runtime: Runtime = app.extensions["roa2web"]
        yield runtime


async def say(
    fake: FakeBotApi, chat_id: int, text: str, *, contains: str | None = None,
    method: str | tuple[str, ...] = "sendMessage", **sender: Any,
) -> ApiCall:
    """A user writes `text` in `chat_id`; the bot's first `method` call to that chat afterwards (containing …)."""
    mark = fake.mark()
    fake.send_text(chat_id, text, **sender)
    return await fake.next_call(method, chat_id=chat_id, since=mark, contains=contains, timeout_s=WAIT_S)


def messages_to(fake: FakeBotApi, chat_id: int, since: int) -> list[str]:
    """The texts of the messages sent to `chat_id` from call `since` on."""
    return [call.text for call in fake.calls[since:] if call.method == "sendMessage" and call.chat_id == chat_id]


async def link_chat(runtime: Runtime, user_id: str, chat_id: int) -> None:
    """Link `chat_id` to the user through the domain (for tests about something else than linking)."""
    issued = await runtime.chat_links.issue_code(user_id)
    await runtime.chat_links.link_with_code(issued.code, telegram_user_id=chat_id, chat_id=chat_id)
