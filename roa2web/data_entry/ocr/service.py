"""The OCR engine as a long-lived service: loaded once in the background, used by one thread only.

The inference runtime must never run on two threads at once, so loading and every recognition go
through a single-thread executor; callers on the event loop just await `read()`. The engine itself
is built on a short-lived thread at a lower OS priority (`helper_nice`): the runtime's worker threads
it starts inherit that, so a photo's own thread competes with the web as an equal while its helpers
mostly take CPU the web leaves idle (Linux; see priority.py). With `idle` the OCR thread and the helpers
it starts run only on CPU nothing else wants.
Without the `ocr` extra the service is "unavailable" from the start and says so (the pipeline and
the engines, which need numpy and OpenCV, are imported only on the OCR thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from time import perf_counter
from typing import TYPE_CHECKING, Any, Literal

from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.ocr.engines import OCR_EXTRA_MODULES, build_engine, missing_modules
from roa2web.data_entry.ocr.errors import ReaderUnavailable
from roa2web.data_entry.ocr.memory import release_freed_memory
from roa2web.data_entry.ocr.priority import lower_thread_priority

if TYPE_CHECKING:
    from roa2web.data_entry.ocr.engine import OcrEngine
    from roa2web.data_entry.ocr.reading import ReceiptReading

log = logging.getLogger("roa2web.data_entry.ocr")
type State = Literal["unavailable", "idle", "loading", "ready", "error", "closed"]
# what a job reading a receipt records (the firm's people read it); the engine's own error, in
# English, is for the admin: /health, `roa2web check` and the log
_ENGINE_DOWN = "Motorul de citire a bonurilor (OCR) nu a pornit; administratorul vede cauza în /health."
_NOT_INSTALLED = "Citirea bonurilor din fotografii (OCR) nu este instalată pe acest server."
_CLOSED = "Serviciul de citire a bonurilor (OCR) s-a oprit odată cu serverul."


def missing_extra_message(missing: Collection[str]) -> str:
    """What to tell an admin when the `ocr` extra's modules are not installed."""
    return (f"the `ocr` extra is not installed (missing: {', '.join(missing)}); OCR needs "
            "pip install 'roa2web[ocr]'")


class OcrService:
    """Loads an OCR engine in the background and runs receipt readings on one dedicated thread."""

    def __init__(
        self,
        engine_name: str = "rapidocr",
        threads: int = 2,
        repair: bool = True,
        engine_factory: Callable[[], OcrEngine] | None = None,
        required_modules: Sequence[str] = OCR_EXTRA_MODULES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        return_memory: bool = True,
        nice: int = 0,
        helper_nice: int = 0,
        idle: bool = False,
    ) -> None:
        """`engine_factory` overrides how the engine is built (default: build_engine(engine_name, threads)).

        `required_modules`: what the pipeline and the engine import; when one is missing the service
        is "unavailable" (the `ocr` extra is not installed) and never tries to load. `max_pixels`: larger
        images are refused from their header. `return_memory`: after each reading, hand the freed heap
        back to the system (memory.py); False only to measure what that gives (scripts/bench/ocr_memory.py).
        `nice`: how much lower than the web's the OCR thread's OS priority is (priority.py; 0: the same).
        `helper_nice`: how much lower still the inference runtime's worker threads run (0: as the OCR thread).
        `idle`: the OCR thread and the runtime's threads run only on CPU the web leaves idle (`nice` then unused).
        """
        self.engine_name = engine_name
        self.threads = threads
        self.repair = repair
        self.max_pixels = max_pixels
        self.return_memory = return_memory
        self.nice = nice
        self.helper_nice = helper_nice
        self.idle = idle
        self.priority_lowered: bool | None = None  # set on the OCR thread when it starts
        self._factory = engine_factory or (lambda: build_engine(engine_name, threads))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr", initializer=self._on_thread_start)
        self._engine: OcrEngine | None = None
        self._loading: Future[None] | None = None
        self._state: State = "idle"
        self._error: str | None = None
        self._load_seconds: float | None = None
        missing = missing_modules(required_modules)
        if missing:
            self._state = "unavailable"
            self._error = missing_extra_message(missing)

    def start(self) -> None:
        """Begin loading the engine on the OCR thread and return at once (idempotent)."""
        if self._loading is None and self._state == "idle":
            self._state = "loading"
            self._loading = self._executor.submit(self._load)

    def _on_thread_start(self) -> None:
        # before the engine loads here, so the runtime's own threads (created by this one) inherit it
        self.priority_lowered = lower_thread_priority(self.nice, self.idle)

    def _load(self) -> None:
        started = perf_counter()
        try:
            self._engine = self._build_engine()
        except Exception as error:
            self._error = f"{type(error).__name__}: {error}"
            self._state = "closed" if self._state == "closed" else "error"
            log.exception("OCR engine %s failed to load", self.engine_name)
        else:
            self._state = "closed" if self._state == "closed" else "ready"
            log.info("OCR engine %s ready in %.2f s", self.engine_name, perf_counter() - started)
        finally:
            self._load_seconds = round(perf_counter() - started, 3)

    def _build_engine(self) -> OcrEngine:
        """The engine, built on a thread `helper_nice` lower whose priority the runtime's threads inherit."""
        if self.helper_nice <= 0:
            return self._factory()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-load", initializer=lower_thread_priority,
                                initargs=(self.helper_nice,)) as loader:
            return loader.submit(self._factory).result()

    def _read_on_thread(self, data: bytes) -> ReceiptReading:
        if self._engine is None:
            raise ReaderUnavailable(_ENGINE_DOWN)
        from roa2web.data_entry.ocr.pipeline import read_receipt  # numpy and OpenCV: only with the `ocr` extra

        try:
            return read_receipt(data, self._engine, repair=self.repair, max_pixels=self.max_pixels)
        finally:
            if self.return_memory:
                release_freed_memory()

    async def read(self, data: bytes) -> ReceiptReading:
        """Read one receipt image; waits for the engine if it is still loading.

        Raises ReaderUnavailable when the engine is not installed, could not be loaded or the service
        is closed, and ImageRejected when `data` is not an acceptable image.
        """
        if self._state == "closed":
            raise ReaderUnavailable(_CLOSED)
        if self._state == "unavailable":
            raise ReaderUnavailable(_NOT_INSTALLED)
        self.start()
        try:
            job = self._executor.submit(self._read_on_thread, data)
        except RuntimeError as error:
            raise ReaderUnavailable(_CLOSED) from error
        return await asyncio.wrap_future(job)

    async def wait_ready(self) -> bool:
        """Wait until loading finished; True when the engine is ready."""
        self.start()
        if self._loading is not None:
            await asyncio.wrap_future(self._loading)
        return self._state == "ready"

    def status(self) -> dict[str, Any]:
        """State for /health: state, engine, threads, error text and load seconds."""
        return {
            "state": self._state,
            "engine": self.engine_name,
            "threads": self.threads,
            "error": self._error,
            "load_seconds": self._load_seconds,
        }

    def close(self, wait: bool = True) -> None:
        """Stop accepting work and drop queued readings; with `wait`, block until the running one ends.

        From async code: `await asyncio.to_thread(service.close)`.
        """
        self._state = "closed"
        self._executor.shutdown(wait=wait, cancel_futures=True)
        self._engine = None
