"""The process's parts (ledger, databases, queue, OCR...), started together and checked by /health."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from roa2web.settings import Settings

if TYPE_CHECKING:  # the types only: the ground floor imports no module at run time
    from roa2web.appdb import AppDatabase
    from roa2web.auth.service import AuthService
    from roa2web.bot.part import BotPart
    from roa2web.cache import TwoTierCache
    from roa2web.chats.links import ChatLinks
    from roa2web.data_entry.module import DataEntry
    from roa2web.data_entry.ocr.service import OcrService
    from roa2web.jobs.instances import InstancePart
    from roa2web.jobs.part import QueuePart
    from roa2web.jobs.queue import JobQueue
    from roa2web.jobs.service import JobService
    from roa2web.ledger.base import Ledger
    from roa2web.rates.service import ExchangeRates
    from roa2web.reports.service import ReportService

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


class ServiceMissing(RuntimeError):
    """A service was asked for that this process did not install (its module is off, or not built yet)."""

    def __init__(self, name: str, switch: str | None) -> None:
        """The `name` service is missing; `switch` is the setting that turns its module on, if any."""
        why = f"its module is switched off ({switch}=false) or " if switch else ""
        super().__init__(f"the {name!r} service is not installed: {why}nothing has built it yet")
        self.name = name


@dataclass
class Services:
    """Every service a process can hold, each None until its installer sets it.

    The core (`roa2web.core`) sets `ledger`, `app_db`, `auth` and `rates`; the job engine (`roa2web.jobs`)
    `queue`, `jobs` and `queue_part`; the optional modules their own (left None when switched off). Read them
    through the Runtime's properties, which raise `ServiceMissing` instead of returning None; read
    them here to ask whether one is installed.
    """

    ledger: Ledger | None = None
    app_db: AppDatabase | None = None
    auth: AuthService | None = None
    rates: ExchangeRates | None = None
    queue: JobQueue | None = None
    jobs: JobService | None = None
    queue_part: QueuePart | None = None
    instances: InstancePart | None = None  # with a Redis queue
    report_cache: TwoTierCache | None = None
    reports: ReportService | None = None
    data_entry_db: AppDatabase | None = None
    data_entry: DataEntry | None = None
    ocr: OcrService | None = None
    chat_links: ChatLinks | None = None
    bot: BotPart | None = None  # in a server with the Telegram module (a worker has none)


def _installed[T](service: T | None, name: str, switch: str | None = None) -> T:
    if service is None:
        raise ServiceMissing(name, switch)
    return service


@dataclass
class Runtime:
    """Everything one app instance owns: settings, parts, and the modules' services (typed properties)."""

    settings: Settings
    parts: list[Part] = field(default_factory=list)
    services: Services = field(default_factory=Services)
    started_at: float = field(default_factory=time.monotonic)
    ready: bool = False
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    def add_part(self, part: Part) -> None:
        """Register a part; among parts of equal `stop_priority`, the last registered stops first."""
        self.parts.append(part)

    @property
    def ledger(self) -> Ledger:
        """The ledger (Oracle or the embedded SQLite one)."""
        return _installed(self.services.ledger, "ledger")

    @property
    def app_db(self) -> AppDatabase:
        """The app database (users, tokens, jobs)."""
        return _installed(self.services.app_db, "app_db")

    @property
    def auth(self) -> AuthService:
        """Login, refresh and logout."""
        return _installed(self.services.auth, "auth")

    @property
    def rates(self) -> ExchangeRates:
        """The BNR exchange rates in the app database."""
        return _installed(self.services.rates, "rates")

    @property
    def queue(self) -> JobQueue:
        """The Huey queue jobs are sent to."""
        return _installed(self.services.queue, "queue")

    @property
    def jobs(self) -> JobService:
        """Submit, read, retry and cancel jobs."""
        return _installed(self.services.jobs, "jobs")

    @property
    def queue_part(self) -> QueuePart:
        """This process's consumer and the queue's health."""
        return _installed(self.services.queue_part, "queue_part")

    @property
    def report_cache(self) -> TwoTierCache:
        """The reports' two-tier cache (reports module)."""
        return _installed(self.services.report_cache, "report_cache", "MODULE_REPORTS_ENABLED")

    @property
    def reports(self) -> ReportService:
        """The cached report service (reports module)."""
        return _installed(self.services.reports, "reports", "MODULE_REPORTS_ENABLED")

    @property
    def data_entry_db(self) -> AppDatabase:
        """The receipts database (data-entry module)."""
        return _installed(self.services.data_entry_db, "data_entry_db", "MODULE_DATA_ENTRY_ENABLED")

    @property
    def data_entry(self) -> DataEntry:
        """Receipts, their files, OCR runs, exports and the nomenclature (data-entry module)."""
        return _installed(self.services.data_entry, "data_entry", "MODULE_DATA_ENTRY_ENABLED")

    @property
    def ocr(self) -> OcrService:
        """The OCR engine, loaded only where OCR jobs are consumed (OCR_ENABLED and QUEUE_IN_PROCESS, or a worker)."""
        return _installed(self.services.ocr, "ocr", "OCR_ENABLED")

    @property
    def chat_links(self) -> ChatLinks:
        """Telegram chat links, linking codes and chat state (telegram module)."""
        return _installed(self.services.chat_links, "chat_links", "MODULE_TELEGRAM_ENABLED")

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
            if statuses[part.name] in ("ok", "disabled"):  # "disabled": switched off on purpose
                continue
            if part.required and statuses[part.name] == "down":
                overall = "down"
                break
            overall = "degraded"
        return {"status": overall, "modules": modules}
