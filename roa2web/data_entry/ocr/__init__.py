"""Receipt OCR: photo or PDF → supplier, CIF, number, date, total, VAT and payment, each with a confidence.

Domain code only (no Quart, no Huey). `OcrService` owns the engine and its single worker thread;
`read_receipt` is the synchronous pipeline it runs.
"""

from roa2web.data_entry.ocr.engine import EngineUnavailable, OcrEngine, RapidOcrEngine, TextBox, build_engine
from roa2web.data_entry.ocr.images import ImageRejected, load_image, sniff_content_type
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.reading import Check, FieldReading, ReceiptReading
from roa2web.data_entry.ocr.service import OcrService, OcrUnavailable

__all__ = [
    "Check",
    "EngineUnavailable",
    "FieldReading",
    "ImageRejected",
    "OcrEngine",
    "OcrService",
    "OcrUnavailable",
    "RapidOcrEngine",
    "ReceiptReading",
    "TextBox",
    "build_engine",
    "load_image",
    "read_receipt",
    "sniff_content_type",
]
