"""Single flight: concurrent callers asking for one key in one event loop share one computation."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable

Slot = tuple[asyncio.AbstractEventLoop, str]


class SingleFlight[T]:
    """One task per (event loop, key); every caller awaits it, shielded from the others' cancellation.

    The computation runs as its own task, so a caller that gives up (a client disconnect) cancels
    neither the work nor the other waiters. Its result or exception reaches every waiter, and the key
    is freed the moment it finishes, so the next caller starts afresh.
    """

    def __init__(self) -> None:
        self._tasks: dict[Slot, asyncio.Task[T]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    def running(self, key: str) -> bool:
        """Whether a computation for `key` is under way in the running event loop."""
        return (asyncio.get_running_loop(), key) in self._tasks

    async def run(self, key: str, start: Callable[[], Awaitable[T]]) -> T:
        """Await the computation for `key`, starting it with `start()` unless one is running."""
        loop = asyncio.get_running_loop()
        slot = (loop, key)
        task = self._tasks.get(slot)
        if task is None:
            task = loop.create_task(self._run_and_free(slot, start))
            task.add_done_callback(functools.partial(self._finished, slot))
            self._tasks[slot] = task
        return await asyncio.shield(task)

    async def _run_and_free(self, slot: Slot, start: Callable[[], Awaitable[T]]) -> T:
        try:
            return await start()
        finally:  # free the key as soon as the result exists, before waiters resume
            self._tasks.pop(slot, None)

    def _finished(self, slot: Slot, task: asyncio.Task[T]) -> None:
        """Free the key of a task cancelled before it ran; mark a failure as seen (waiters may be gone)."""
        if self._tasks.get(slot) is task:
            del self._tasks[slot]
        if not task.cancelled():
            task.exception()
