"""One receipt photo → its fields: load, straighten, recognise, rebuild lines, extract, check."""

from __future__ import annotations

from time import perf_counter

from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.ocr.engine import OcrEngine
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.lines import rebuild_lines
from roa2web.data_entry.ocr.reading import ReceiptReading
from roa2web.data_entry.ocr.repair import resolve_fields
from roa2web.data_entry.ocr.straighten import straighten


def read_receipt(
    data: bytes, engine: OcrEngine, repair: bool = True, max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ReceiptReading:
    """Read a receipt image or PDF. `repair=False` skips the arithmetic cross-checks (for benchmarks).

    Raises ImageRejected for anything that is not a safe, decodable image, or has more than `max_pixels`.
    """
    started = perf_counter()
    loaded = load_image(data, max_pixels=max_pixels)
    decoded = perf_counter()
    pixels, straightened = straighten(loaded.pixels)
    prepared = perf_counter()
    boxes = engine.recognize(pixels)
    recognized = perf_counter()
    lines = rebuild_lines(boxes)
    fields = resolve_fields(extract_fields(lines), repair)
    finished = perf_counter()
    texts = [line.text for line in lines]
    return ReceiptReading(
        fields=fields,
        raw_text="\n".join(texts),
        lines=texts,
        content_type=loaded.content_type,
        straightened=straightened,
        repaired=repair,
        timings={
            "decode": round(decoded - started, 4),
            "prepare": round(prepared - decoded, 4),
            "recognize": round(recognized - prepared, 4),
            "extract": round(finished - recognized, 4),
            "total": round(finished - started, 4),
        },
    )
