"""UserStates: cached for its TTL, forgotten at once, a read racing a change is not kept, newer tokens re-read."""

from __future__ import annotations

import asyncio

from roa2web.auth.store import UserState
from roa2web.auth.user_states import UserStates


class Table:
    """The users table as the loader sees it: states by id, and how often it was read."""

    def __init__(self) -> None:
        self.states = {"ana": UserState(0, False)}
        self.reads = 0
        self.hold: asyncio.Event | None = None  # when set, a read waits for it (a slow database)
        self.reading = asyncio.Event()

    async def load(self, user_id: str) -> UserState | None:
        self.reads += 1
        state = self.states.get(user_id)
        self.reading.set()
        if self.hold is not None:
            await self.hold.wait()
        return state


async def test_cached_until_forgotten_and_newer_tokens_read_again():
    table = Table()
    states = UserStates(table.load, ttl_s=60)
    assert await states.get("ana") == UserState(0, False)
    table.states["ana"] = UserState(1, True)
    assert await states.get("ana") == UserState(0, False)  # cached
    assert table.reads == 1
    assert await states.get("ana", version_seen=1) == UserState(1, True)  # a newer token: read again
    table.states["ana"] = UserState(2, False)
    states.forget("ana")
    assert await states.get("ana") == UserState(2, False)
    assert await states.get("nobody") is None and await states.get("nobody") is None
    assert table.reads == 5  # unknown users are not cached


async def test_a_read_that_raced_a_change_is_not_kept():
    table = Table()
    states = UserStates(table.load, ttl_s=60)
    table.hold = asyncio.Event()
    slow = asyncio.create_task(states.get("ana"))  # reads version 0, then waits
    await table.reading.wait()
    table.states["ana"] = UserState(1, True)
    states.forget("ana")  # the change is made here while the read is in flight
    table.hold.set()
    assert await slow == UserState(0, False)
    assert await states.get("ana") == UserState(1, True)  # the stale read was not cached


async def test_ttl_zero_reads_every_time():
    table = Table()
    states = UserStates(table.load, ttl_s=0)
    for _ in range(3):
        await states.get("ana")
    assert table.reads == 3
