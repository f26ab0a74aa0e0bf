"""One receipt photo → its fields: load, straighten, turn upright and recognise, rebuild lines, extract, check.

A photo whose key fields the checks do not all vouch for is read a second time with its motion blur undone
(deblur.py), and the reading the recogniser is surer of is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

import numpy as np

from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.ocr.deblur import deblurred
from roa2web.data_entry.ocr.engine import OcrEngine, TextBox, TurningEngine
from roa2web.data_entry.ocr.fields import extract_fields
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.lines import Line, rebuild_lines
from roa2web.data_entry.ocr.orientation import reading_score, turn_upright
from roa2web.data_entry.ocr.reading import KEY_FIELDS, Check, FieldReading, ReceiptReading
from roa2web.data_entry.ocr.repair import resolve_fields
from roa2web.data_entry.ocr.straighten import straighten

_VOUCHED = (Check.CONFIRMED, Check.REPAIRED)


@dataclass
class _Pass:
    """One reading of the photo's pixels."""

    boxes: list[TextBox]
    lines: list[Line]
    fields: dict[str, FieldReading]
    straightened: bool
    turned: int
    orient_s: float

    @property
    def sureness(self) -> float:
        """The recogniser's mean score over the text it read (0 when it read none)."""
        return reading_score(self.boxes, len(self.boxes))

    @property
    def vouched(self) -> bool:
        """Whether the checks vouch for every key field."""
        return all(self.fields[name].value is not None and self.fields[name].check in _VOUCHED
                   for name in KEY_FIELDS)


def _read_pixels(pixels: np.ndarray, engine: OcrEngine, repair: bool) -> _Pass:
    pixels, straightened = straighten(pixels)
    orienting = 0.0
    if isinstance(engine, TurningEngine):
        regions = engine.detect(pixels)
        detected = perf_counter()
        pixels, regions, turned = turn_upright(pixels, regions, engine)
        orienting = perf_counter() - detected
        boxes = engine.read(pixels, regions)
    else:
        boxes, turned = engine.recognize(pixels), 0
    lines = rebuild_lines(boxes)
    return _Pass(boxes, lines, resolve_fields(extract_fields(lines), repair), straightened, turned, orienting)


def read_receipt(
    data: bytes, engine: OcrEngine, repair: bool = True, max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ReceiptReading:
    """Read a receipt image or PDF; `repair=False` skips the arithmetic checks and the second pass (benchmarks).

    An engine that can tell how text is turned (a TurningEngine) also reads photos turned 90, 180 or 270°;
    another reads the photo as it comes.
    Raises ImageRejected for anything that is not a safe, decodable image, or has more than `max_pixels`.
    """
    started = perf_counter()
    loaded = load_image(data, max_pixels=max_pixels)
    decoded = perf_counter()
    chosen = _read_pixels(loaded.pixels, engine, repair)
    first_read = perf_counter()
    if repair and not chosen.vouched and (sharp := deblurred(loaded.pixels)) is not None:
        second = _read_pixels(sharp, engine, repair)
        if second.sureness > chosen.sureness:
            chosen = second
    finished = perf_counter()
    texts = [line.text for line in chosen.lines]
    return ReceiptReading(
        fields=chosen.fields,
        raw_text="\n".join(texts),
        lines=texts,
        content_type=loaded.content_type,
        straightened=chosen.straightened,
        turned=chosen.turned,
        repaired=repair,
        timings={
            "decode": round(decoded - started, 4),
            "read": round(first_read - decoded, 4),
            "orient": round(chosen.orient_s, 4),
            "deblur": round(finished - first_read, 4),
            "total": round(finished - started, 4),
        },
    )
