"""The stop signals of `roa2web serve`: one handler for SIGINT, SIGTERM and, on Windows, SIGBREAK.

A Windows service (NSSM) is stopped with CTRL+C, then CTRL_BREAK: Python delivers them to the
`signal` module as SIGINT and SIGBREAK. `signal.signal` is used, not `loop.add_signal_handler`,
which Windows' event loops lack. Python runs a signal handler on the main thread when that thread
next runs Python code; on Windows the selector loop's wait is not interrupted by a signal, so
`ShutdownRequest.wait` wakes the loop every `WAKE_S` to let a pending handler run.
`roa2web worker` asks for `second_exits`: a second signal while it drains its running tasks ends the process
at once (the jobs are recovered later); `serve` leaves a second signal to Hypercorn's graceful timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import signal
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("roa2web.server")
STOP_SIGNAL_NAMES = ("SIGINT", "SIGTERM", "SIGBREAK")
WAKE_S = 1.0


def stop_signals() -> dict[int, str]:
    """The stop signals this platform has, by number (SIGBREAK only on Windows)."""
    return {int(getattr(signal, name)): name for name in STOP_SIGNAL_NAMES if hasattr(signal, name)}


class ShutdownRequest:
    """A graceful stop asked by a signal: `on_signal` is what `signal.signal` calls for each stop signal."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, names: dict[int, str] | None = None, *, second_exits: bool = False,
        exit_now: Callable[[int], object] = os._exit,
    ) -> None:
        self.loop = loop
        self.names = stop_signals() if names is None else names
        self.second_exits = second_exits
        self.exit_now = exit_now
        self.requested = False  # set by the handler itself: `stopping` is set later, on the loop
        self.stopping = asyncio.Event()

    def install(self) -> None:
        """Make `on_signal` the handler of every stop signal (on the main thread, as `signal.signal` requires)."""
        for number in self.names:
            signal.signal(number, self.on_signal)

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """A stop signal arrived: say so and let the server stop gracefully (safe from any thread)."""
        name = self.names.get(signum, f"signal {signum}")
        # a fresh context: the handler runs inside whatever the main thread was doing (a request's id)
        context = contextvars.Context()
        if self.requested and self.second_exits:
            context.run(log.warning, "second %s: exiting now", name)
            self.exit_now(1)
            return
        self.requested = True
        context.run(log.info, "%s received: shutting down gracefully", name)
        self.loop.call_soon_threadsafe(self.stopping.set)

    async def wait(self) -> None:
        """Until a stop signal arrived (Hypercorn's `shutdown_trigger`)."""
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), WAKE_S)
