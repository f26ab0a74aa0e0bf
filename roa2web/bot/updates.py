"""Updates of one chat in order, different chats at the same time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, override

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 64


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process a chat's updates one after another, and other chats' alongside.

    A chat's second message waits for its first to be answered (no reply overtakes another);
    a slow answer (a photo being read) never delays another chat. A handler that waits long
    should hand the waiting to a task of its own so the chat can go on.
    """

    def __init__(self) -> None:
        super().__init__(MAX_CONCURRENT_UPDATES)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    @override
    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._waiting[chat.id] = self._waiting.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat.id] -= 1
            if not self._waiting[chat.id]:  # nobody holds or waits for it: forget the chat
                del self._waiting[chat.id]
                del self._locks[chat.id]

    @override
    async def initialize(self) -> None:
        """Nothing to set up."""

    @override
    async def shutdown(self) -> None:
        """Nothing to release."""
