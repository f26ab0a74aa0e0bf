"""`install_services(runtime)`: the data-entry services and the OCR engine part.

Its job handlers are the task door `roa2web.tasks.data_entry`, which the app imports.

The OCR engine (seconds of CPU and hundreds of MB to load) lives only in a process that consumes
the queue, where the OCR jobs run: the server with QUEUE_IN_PROCESS=true, or `roa2web worker`.
A web process with QUEUE_IN_PROCESS=false still accepts OCR uploads (OCR_ENABLED) and queues them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from roa2web.data_entry.module import build_data_entry
from roa2web.data_entry.workflow.exchange import EurRate, EurRateLookup
from roa2web.runtime import Part, Runtime

if TYPE_CHECKING:
    from roa2web.data_entry.ocr.service import OcrService

log = logging.getLogger("roa2web.data_entry")


def ocr_part(service: OcrService) -> Part:
    """The OCR engine as an optional part, loaded in the background; health from its status().

    Not installed (state "unavailable": the `ocr` extra is missing) or failed: "down", which degrades
    /health without making it "down" (the part is optional).
    """

    async def start() -> None:
        service.start()

    async def stop() -> None:
        await asyncio.to_thread(service.close)

    async def health() -> dict[str, Any]:
        status = dict(service.status())
        state = status.get("state")
        status["status"] = "ok" if state == "ready" else "loading" if state in ("idle", "loading") else "down"
        return status

    return Part("ocr", health, start=start, stop=stop, required=False, background=True)


def install_ocr(runtime: Runtime) -> OcrService:
    """Build the OCR service from OCR_* settings into `runtime` ("ocr" service and part); it loads at start."""
    from roa2web.data_entry.ocr.service import OcrService

    settings = runtime.settings
    service = OcrService(settings.ocr_engine, threads=settings.ocr_threads, nice=settings.ocr_nice,
                         helper_nice=settings.ocr_helper_nice, idle=settings.ocr_idle_priority,
                         max_pixels=settings.data_entry_max_image_mp * 1_000_000)
    runtime.services.ocr = service
    runtime.add_part(ocr_part(service))
    return service


def eur_rate_lookup(runtime: Runtime) -> EurRateLookup:
    """The EUR rate published before a day, from the core's exchange rates (in the app database)."""

    async def lookup(day: dt.date) -> EurRate | None:
        rate = await runtime.rates.before("EUR", day)
        return None if rate is None else EurRate(rate.day, rate.ron_per_unit)

    return lookup


def install_services(runtime: Runtime) -> None:
    """Build the module into `runtime` (needs the core's ledger, data-entry database and exchange rates)."""
    settings = runtime.settings
    reader = None
    if not settings.ocr_enabled:
        log.info("OCR is switched off (OCR_ENABLED=false): the OCR routes answer 503")
    elif settings.queue_in_process:
        reader = install_ocr(runtime)
    else:
        log.info("OCR jobs are queued here and read by `roa2web worker` (QUEUE_IN_PROCESS=false): no OCR engine loaded")
    runtime.services.data_entry = build_data_entry(
        db=runtime.data_entry_db,
        ledger=runtime.ledger,
        files_dir=settings.files_root,
        max_upload_bytes=settings.data_entry_max_upload_mb * 1024 * 1024,
        max_image_pixels=settings.data_entry_max_image_mp * 1_000_000,
        nomenclature_ttl_s=settings.data_entry_nomenclature_ttl_s,
        reader=reader,
        ocr_enabled=settings.ocr_enabled,
        ocr_min_confidence=settings.ocr_min_confidence,
        jobs=lambda: runtime.jobs,
        eur_rate=eur_rate_lookup(runtime),
    )
