"""The process's parts (ledger, databases, queue, OCR...), started together and checked by /health."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from roa2web.settings import Settings

log = logging.getLogger("roa2web.runtime")

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]
# Stop priorities: a part that runs work using other parts (the queue consumer; later the bot) must
# stop, and drain, while the parts it uses are still up. Higher stops first.
STOP_FIRST = 100
STOP_NORMAL = 0


@dataclass
class Part:
    """Something the process runs: started at startup, stopped at shutdown, seen in /health.

    `required` parts must start for the app to be ready and make /health "down" when they fail;
    optional parts (OCR model, Telegram) start in the background and only degrade it.
    `stop_priority`: parts with a higher one stop first (STOP_FIRST for a part that uses the
    others, like the queue consumer); equal ones stop in reverse registration order.
    """

    name: str
    health: HealthCheck
    start: Callable[[], Awaitable[None]] | None = None
    stop: Callable[[], Awaitable[None]] | None = None
    required: bool = True
    background: bool = False
    stop_priority: int = STOP_NORMAL


@dataclass
class Runtime:
    """Everything one app instance owns. Modules put their services in `services`."""

    settings: Settings
    parts: list[Part] = field(default_factory=list)
    services: dict[str, Any] = field(default_factory=dict)
    started_at: float = field(default_factory=time.monotonic)
    ready: bool = False
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    def add_part(self, part: Part) -> None:
        """Register a part; among parts of equal `stop_priority`, the last registered stops first."""
        self.parts.append(part)

    def service(self, name: str) -> Any:
        """A module's service by name (KeyError when the module is off)."""
        return self.services[name]

    async def start(self) -> None:
        """Start foreground parts in parallel, then kick off background ones."""
        started = time.perf_counter()
        foreground = [part for part in self.parts if part.start and not part.background]
        results = await asyncio.gather(*(part.start() for part in foreground if part.start), return_exceptions=True)
        for part, result in zip(foreground, results, strict=True):
            if isinstance(result, BaseException):
                if part.required:
                    raise RuntimeError(f"{part.name} failed to start: {result}") from result
                log.error("%s failed to start: %s", part.name, result)
        for part in self.parts:
            if part.start and part.background:
                self._background.append(asyncio.create_task(self._start_background(part)))
        self.ready = True
        log.info("ready in %.0f ms (%d parts)", (time.perf_counter() - started) * 1000, len(self.parts))

    async def _start_background(self, part: Part) -> None:
        assert part.start is not None
        try:
            await part.start()
        except Exception:
            log.exception("%s failed to start in the background", part.name)

    async def wait_background(self, timeout_s: float) -> None:
        """Wait (bounded) for background starts to finish; used by `roa2web check`."""
        if self._background:
            await asyncio.wait(self._background, timeout=timeout_s)

    def stop_order(self) -> list[Part]:
        """The parts in the order they stop: highest `stop_priority` first, then reverse registration."""
        return sorted(reversed(self.parts), key=lambda part: -part.stop_priority)

    async def stop(self) -> None:
        """Stop parts one by one in `stop_order()`; one failing stop does not stop the others."""
        self.ready = False
        for task in self._background:
            task.cancel()
        for part in self.stop_order():
            if part.stop is None:
                continue
            try:
                await part.stop()
            except Exception:
                log.exception("%s failed to stop cleanly", part.name)

    async def health(self, timeout_s: float = 0.4) -> dict[str, Any]:
        """Every part's health in parallel, each bounded by `timeout_s`."""

        async def check(part: Part) -> dict[str, Any]:
            try:
                return await asyncio.wait_for(part.health(), timeout_s)
            except TimeoutError:
                return {"status": "down", "error": f"no answer within {int(timeout_s * 1000)} ms"}
            except Exception as exc:
                return {"status": "down", "error": str(exc) or type(exc).__name__}

        results = await asyncio.gather(*(check(part) for part in self.parts))
        modules = {part.name: result for part, result in zip(self.parts, results, strict=True)}
        statuses = {part.name: result.get("status", "down") for part, result in zip(self.parts, results, strict=True)}
        overall = "ok"
        for part in self.parts:
            if statuses[part.name] == "ok":
                continue
            if part.required and statuses[part.name] == "down":
                overall = "down"
                break
            overall = "degraded"
        return {"status": overall, "modules": modules}
