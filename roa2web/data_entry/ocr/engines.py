"""The OCR engines by name (OCR_ENGINE), and whether this installation can run them at all.

The engine modules need the `ocr` extra (numpy, OpenCV, onnxruntime, rapidocr), so they are imported
only when an engine is built; `missing_modules` tells, without importing anything, what is absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.util import find_spec

from roa2web.data_entry.ocr.engine import OcrEngine
from roa2web.data_entry.ocr.errors import EngineUnavailable

ENGINES = ("rapidocr", "paddleocr")
# What the pipeline and either engine import (the `ocr` extra; paddleocr also takes its models from rapidocr).
OCR_EXTRA_MODULES = ("numpy", "cv2", "onnxruntime", "rapidocr")


def missing_modules(modules: Iterable[str] = OCR_EXTRA_MODULES) -> list[str]:
    """The top-level modules among `modules` that cannot be imported here (found without importing them)."""
    return [name for name in modules if find_spec(name) is None]


def build_engine(name: str, threads: int) -> OcrEngine:
    """The engine called `name` (OCR_ENGINE), with `threads` inference threads, models loaded."""
    if name == "rapidocr":
        from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine

        return RapidOcrEngine(threads=threads)
    if name == "paddleocr":
        from roa2web.data_entry.ocr.paddle_engine import PaddleOcrEngine

        return PaddleOcrEngine(threads=threads)
    raise EngineUnavailable(f"unknown OCR engine {name!r}; available: {', '.join(ENGINES)}")
