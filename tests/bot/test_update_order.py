"""A chat's updates are answered in order; another chat's are not held up by a slow one."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from roa2web.bot.updates import PerChatUpdateProcessor


def update_of(chat_id: int, update_id: int) -> Update:
    message = Message(message_id=update_id, date=None, chat=Chat(chat_id, "private"), text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_other_chats_alongside() -> None:
    processor = PerChatUpdateProcessor()
    done: list[str] = []
    release_slow = asyncio.Event()

    async def slow(name: str) -> None:
        await release_slow.wait()
        done.append(name)

    async def quick(name: str) -> None:
        done.append(name)

    first = asyncio.create_task(processor.process_update(update_of(1, 1), slow("chat1-first")))
    second = asyncio.create_task(processor.process_update(update_of(1, 2), quick("chat1-second")))
    other = asyncio.create_task(processor.process_update(update_of(2, 3), quick("chat2")))
    await asyncio.wait_for(other, 30)
    assert done == ["chat2"]  # chat 2 answered while chat 1's first update still runs
    assert not second.done()
    release_slow.set()
    await asyncio.wait_for(asyncio.gather(first, second), 30)
    assert done == ["chat2", "chat1-first", "chat1-second"]
    assert not processor._locks  # no chat is remembered once its updates are done
