"""One receipt photo → its fields: load, straighten, turn upright and recognise, rebuild lines, extract, check."""

from __future__ import annotations

from time import perf_counter

from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.ocr.engine import OcrEngine, TurningEngine
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.lines import rebuild_lines
from roa2web.data_entry.ocr.orientation import turn_upright
from roa2web.data_entry.ocr.reading import ReceiptReading
from roa2web.data_entry.ocr.repair import resolve_fields
from roa2web.data_entry.ocr.straighten import straighten


def read_receipt(
    data: bytes, engine: OcrEngine, repair: bool = True, max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ReceiptReading:
    """Read a receipt image or PDF. `repair=False` skips the arithmetic cross-checks (for benchmarks).

    An engine that can tell how text is turned (a TurningEngine) also reads photos turned 90, 180 or 270°;
    another reads the photo as it comes.
    Raises ImageRejected for anything that is not a safe, decodable image, or has more than `max_pixels`.
    """
    started = perf_counter()
    loaded = load_image(data, max_pixels=max_pixels)
    decoded = perf_counter()
    pixels, straightened = straighten(loaded.pixels)
    prepared = perf_counter()
    orienting = 0.0
    if isinstance(engine, TurningEngine):
        regions = engine.detect(pixels)
        detected = perf_counter()
        pixels, regions, turned = turn_upright(pixels, regions, engine)
        orienting = perf_counter() - detected
        boxes = engine.read(pixels, regions)
    else:
        boxes, turned = engine.recognize(pixels), 0
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
        turned=turned,
        repaired=repair,
        timings={
            "decode": round(decoded - started, 4),
            "prepare": round(prepared - decoded, 4),
            "orient": round(orienting, 4),
            "recognize": round(recognized - prepared - orienting, 4),
            "extract": round(finished - recognized, 4),
            "total": round(finished - started, 4),
        },
    )
