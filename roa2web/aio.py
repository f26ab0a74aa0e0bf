"""Running a coroutine from a command (or the server) on the right event loop for this platform.

On Windows `asyncio.run` gives the Proactor loop, which psycopg's async mode refuses (PostgreSQL
app databases); the selector loop runs everything this process needs (Hypercorn included).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any


def loop_factory(platform: str = sys.platform) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop class to use on `platform`: the selector loop on Windows, else asyncio's default."""
    return asyncio.SelectorEventLoop if platform == "win32" else None


def run_async[T](coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)` on the loop `loop_factory()` picks; every CLI command and the server use it."""
    return asyncio.run(coro, loop_factory=loop_factory())
