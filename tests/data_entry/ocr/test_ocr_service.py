"""OcrService: background loading, one inference thread, health status, failures and shutdown."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from roa2web.data_entry.ocr.engine import TextBox
from roa2web.data_entry.ocr.errors import EngineUnavailable, ImageRejected, ReaderUnavailable
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from roa2web.data_entry.ocr.service import OcrService
from tests.support.receipt_images import receipt_sample

pytestmark = pytest.mark.slow


class ThreadRecordingEngine:
    """The real engine, noting which threads call it and how many calls ever overlap."""

    def __init__(self, engine: RapidOcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.threads: set[str] = set()
        self.overlap = 0
        self._running = 0
        self._lock = threading.Lock()

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        with self._lock:
            self._running += 1
            self.overlap = max(self.overlap, self._running)
            self.threads.add(threading.current_thread().name)
        try:
            return self.engine.recognize(image)
        finally:
            with self._lock:
                self._running -= 1


async def test_engine_loads_in_background_then_reads() -> None:
    service = OcrService(threads=2)
    try:
        service.start()
        assert service.status()["state"] == "loading"
        assert await service.wait_ready()
        status = service.status()
        assert status["state"] == "ready" and status["error"] is None
        assert status["engine"] == "rapidocr" and status["load_seconds"] > 0
        sample = receipt_sample(2, "degraded")
        reading = await service.read(sample.data)
        assert reading.value("total") == sample.truth.total_bani
    finally:
        await asyncio.to_thread(service.close)
    assert service.status()["state"] == "closed"


async def test_concurrent_reads_run_one_at_a_time_on_one_thread(ocr_engine: RapidOcrEngine) -> None:
    recorder = ThreadRecordingEngine(ocr_engine)
    service = OcrService(engine_factory=lambda: recorder)
    samples = [receipt_sample(seed, "clean") for seed in range(3)]
    try:
        readings = await asyncio.gather(*(service.read(sample.data) for sample in samples))
    finally:
        await asyncio.to_thread(service.close)
    assert [reading.value("total") for reading in readings] == [s.truth.total_bani for s in samples]
    assert recorder.overlap == 1
    assert len(recorder.threads) == 1 and next(iter(recorder.threads)).startswith("ocr")
    assert threading.current_thread().name not in recorder.threads


async def test_a_failed_load_is_reported_and_reads_refused() -> None:
    def broken() -> RapidOcrEngine:
        raise EngineUnavailable("OCR model files missing: det.onnx")

    service = OcrService(engine_factory=broken)
    try:
        assert not await service.wait_ready()
        status = service.status()
        assert status["state"] == "error" and "model files missing" in status["error"]
        with pytest.raises(ReaderUnavailable, match="nu a pornit"):
            await service.read(receipt_sample(0, "clean").data)
    finally:
        service.close()


async def test_bad_upload_raises_image_rejected_and_service_keeps_working(ocr_engine: RapidOcrEngine) -> None:
    service = OcrService(engine_factory=lambda: ocr_engine)
    try:
        with pytest.raises(ImageRejected):
            await service.read(b"not an image at all")
        sample = receipt_sample(0, "clean")
        assert (await service.read(sample.data)).value("date") == sample.truth.date.isoformat()
    finally:
        service.close()


async def test_closed_service_refuses_reads(ocr_engine: RapidOcrEngine) -> None:
    service = OcrService(engine_factory=lambda: ocr_engine)
    service.close()
    with pytest.raises(ReaderUnavailable, match="s-a oprit"):
        await service.read(receipt_sample(0, "clean").data)
    assert service.status()["state"] == "closed"
