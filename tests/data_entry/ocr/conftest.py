"""The real OCR engine, loaded once per test session (a second or two of model loading)."""

from __future__ import annotations

import pytest

from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine


@pytest.fixture(scope="session")
def ocr_engine() -> RapidOcrEngine:
    """PP-OCRv6 small on onnxruntime, two threads, as the service runs it."""
    return RapidOcrEngine(threads=2)

