"""Fit the OCR confidence bands (roa2web/data_entry/ocr/calibration.py BANDS) on the tuning split.

Run from the repository root:  python -m scripts.bench.ocr_calibrate [--count 30] [--levels clean,degraded,hard]
Reads the tuning photos (never the held-aside ones), and for each kind of reading (field and check,
and each check over all fields: "*") the share of readings that were right per OCR-score band: each
band's confidence is the lower end of a one-sided ~84% Wilson interval (z = 1) of that share, so a
band seen a few times gets a modest confidence; neighbouring bands are merged until the confidence
rises with the score. Prints the BANDS table to paste into calibration.py.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from dataclasses import dataclass

from roa2web.data_entry.ocr.calibration import ANY_FIELD, kind, read_poorly
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from roa2web.data_entry.ocr.reading import ReceiptReading
from tests.support.receipt_content import ReceiptTruth
from tests.support.receipt_scoring import field_matches
from tests.support.receipts.scoring import READING_NAME, SCORED_FIELDS
from tests.support.receipts.sets import LEVELS, varied_set

EDGES = (0.0, 0.6, 0.8, 0.9, 0.95)  # lowest OCR score of each band before merging
MIN_BAND = 10  # a band with fewer readings is merged into the band below it (the first: into the one above)


@dataclass(frozen=True)
class Outcome:
    """One field of one reading: its kind, OCR score, and whether it was right."""

    kind: tuple[str, str]
    score: float
    right: bool


def outcomes(reading: ReceiptReading, truth: ReceiptTruth) -> list[Outcome]:
    """The scored fields the reading filled, with whether each is right."""
    right = field_matches(reading, truth)
    poor = read_poorly(reading.fields)
    found = []
    for name in SCORED_FIELDS:
        field = reading.fields.get(READING_NAME.get(name, name))
        if field is not None and field.value is not None:
            reading_name = READING_NAME.get(name, name)
            found.append(Outcome(kind(reading_name, field, poor), field.score, right[name]))
    return found


def wilson_lower(right: int, count: int, z: float = 1.0) -> float:
    """The lower end of the Wilson score interval for `right` successes out of `count`."""
    share = right / count
    centre = share + z * z / (2 * count)
    spread = z * math.sqrt(share * (1 - share) / count + z * z / (4 * count * count))
    return (centre - spread) / (1 + z * z / count)


def fit_bands(samples: list[tuple[float, bool]]) -> tuple[tuple[float, float], ...]:
    """Score bands with a confidence rising with the score (adjacent violators pooled)."""
    blocks: list[list[float]] = []  # [lowest score, count, right]
    for index, lowest in enumerate(EDGES):
        highest = EDGES[index + 1] if index + 1 < len(EDGES) else 2.0
        inside = [right for score, right in samples if lowest <= score < highest]
        if inside:
            blocks.append([lowest, len(inside), sum(inside)])
    blocks = _without_thin(blocks)
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and _lower(merged[-2]) >= _lower(merged[-1]):
            last = merged.pop()
            merged[-1][1] += last[1]
            merged[-1][2] += last[2]
    if merged:
        merged[0][0] = 0.0
    return tuple((lowest, round(wilson_lower(int(right), int(count)), 3)) for lowest, count, right in merged)


def _without_thin(blocks: list[list[float]]) -> list[list[float]]:
    """Bands of fewer than MIN_BAND readings pooled with the band below (the lowest band with the one above),
    so a band's confidence never rests on a handful of readings."""
    pooled: list[list[float]] = []
    for block in blocks:
        if pooled and (block[1] < MIN_BAND or pooled[-1][1] < MIN_BAND):
            pooled[-1][1] += block[1]
            pooled[-1][2] += block[2]
        else:
            pooled.append(list(block))
    return pooled


def _lower(block: list[float]) -> float:
    return wilson_lower(int(block[2]), int(block[1]))


def fit(found: list[Outcome]) -> dict[tuple[str, str], tuple[tuple[float, float], ...]]:
    """BANDS fitted on `found`.

    A field seen fewer than MIN_BAND times with a check gets one band, never above the lowest band of that
    check over all fields: a handful of readings may lower a confidence, not raise it.
    """
    by_kind: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
    for outcome in found:
        by_kind[outcome.kind].append((outcome.score, outcome.right))
        by_kind[ANY_FIELD, outcome.kind[1]].append((outcome.score, outcome.right))
    bands = {key: fit_bands(samples) for key, samples in sorted(by_kind.items())}
    for (field, check), samples in by_kind.items():
        if field != ANY_FIELD and len(samples) < MIN_BAND:
            own = wilson_lower(sum(right for _, right in samples), len(samples))
            bands[field, check] = ((0.0, round(min(own, bands[ANY_FIELD, check][0][1]), 3)),)
    return bands


def counts(found: list[Outcome]) -> dict[tuple[str, str], int]:
    """How many readings of each kind (and of each check over all fields) `found` holds."""
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for outcome in found:
        counted[outcome.kind] += 1
        counted[ANY_FIELD, outcome.kind[1]] += 1
    return counted


Bands = dict[tuple[str, str], tuple[tuple[float, float], ...]]


def print_bands(bands: Bands, counted: dict[tuple[str, str], int]) -> None:
    """The table as Python, with how many readings each kind had."""
    print("BANDS: dict[tuple[str, str], tuple[tuple[float, float], ...]] = {")
    for key, value in bands.items():
        print(f"    {key!r}: {value!r},  # n={counted[key]}")
    print("}")


def main(argv: list[str] | None = None) -> int:
    """Read the tuning photos, fit, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=30, help="receipts per level")
    parser.add_argument("--levels", default=",".join(LEVELS), help="comma-separated: clean,degraded,hard")
    args = parser.parse_args(argv)
    engine = RapidOcrEngine(threads=2)
    found = []
    for level in args.levels.split(","):
        for sample in varied_set("tuning", level, args.count):
            found += outcomes(read_receipt(sample.data, engine), sample.truth)
    print_bands(fit(found), counts(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
