"""Huey's consumer as threads inside our process: no signal handlers, woken at once by local enqueues.

`Consumer.start()` would call `signal.signal`, which fails off the main thread and would steal
Hypercorn's handlers on it; here the server (or `roa2web worker`) owns the signals and calls
`stop(graceful=True)` itself. Idle workers poll at most every QUEUE_MAX_DELAY_S, and an enqueue
from this process wakes them immediately.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from huey import Huey
from huey.consumer import Consumer, Worker

from roa2web.settings import Settings

log = logging.getLogger("roa2web.jobs.consumer")


class _WakeableWorker(Worker):
    """A worker whose idle sleep ends early when the process enqueues something."""

    def __init__(self, *args: Any, wake: threading.Event, **kwargs: Any) -> None:
        self.wake = wake
        super().__init__(*args, **kwargs)

    def sleep(self) -> None:
        """Wait for the poll delay or a wake-up, whichever comes first."""
        self.delay: float = min(self.delay, self.max_delay)
        if self.wake.wait(self.delay):
            self.wake.clear()
            self.delay = self.default_delay
        else:
            self.delay *= self.backoff


class InProcessConsumer(Consumer):
    """N worker threads and a scheduler thread; start/stop driven by our runtime, not by signals."""

    def __init__(self, huey: Huey, **options: Any) -> None:
        self.wake_event = threading.Event()
        super().__init__(huey, **options)

    def _create_worker(self) -> Worker:
        return _WakeableWorker(
            huey=self.huey,
            stop_flag=self.stop_flag,
            default_delay=self.default_delay,
            max_delay=self.max_delay,
            backoff=self.backoff,
            max_tasks=self.max_tasks,
            wake=self.wake_event,
        )

    def _set_signal_handlers(self) -> None:
        """The process owns its signals (Hypercorn's, or `roa2web worker`'s)."""

    def wake(self) -> None:
        """Wake idle workers (something was just enqueued)."""
        self.wake_event.set()

    def stop(self, graceful: bool = False) -> None:
        """Stop; with `graceful`, wait (up to the shutdown timeout) for running tasks to finish."""
        self.stop_flag.set()
        self.wake_event.set()
        super().stop(graceful=graceful)

    @property
    def worker_count(self) -> int:
        """Worker threads started (QUEUE_WORKERS); the scheduler thread is not one of them."""
        return len(self.worker_threads)

    def workers_alive(self) -> int:
        """How many worker threads are alive."""
        return sum(1 for _, thread in self.worker_threads if thread.is_alive())

    def scheduler_alive(self) -> bool:
        """Whether the scheduler thread (retries after backoff, periodic tasks) is alive."""
        return bool(self.scheduler.is_alive())


def build_consumer(huey: Huey, settings: Settings) -> InProcessConsumer:
    """The consumer from QUEUE_* settings: thread workers only (Windows-safe), periodic tasks on."""
    return InProcessConsumer(
        huey,
        workers=settings.queue_workers,
        periodic=True,
        initial_delay=min(0.05, settings.queue_max_delay_s),
        backoff=1.5,
        max_delay=settings.queue_max_delay_s,
        scheduler_interval=1,
        worker_type="thread",
        check_worker_health=True,
        shutdown_timeout=settings.queue_shutdown_timeout_s,
    )
