"""Photos turned 90, 180 or 270°: how the turn is decided (orientation.py), and the real engine reading them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from roa2web.data_entry.ocr.engine import Quad, TextBox, TurningEngine
from roa2web.data_entry.ocr.orientation import (
    classifier_verdict,
    longest,
    lying_flat,
    reading_score,
    stands_on_end,
    turn,
)
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from tests.support.receipt_scoring import KEY_FIELDS, field_matches
from tests.support.receipts.sets import TUNING_SEEDS, varied_sample


def rectangle(left: float, top: float, width: float, height: float) -> Quad:
    """An axis-aligned region, corners clockwise from the top-left."""
    return (left, top), (left + width, top), (left + width, top + height), (left, top + height)


def test_lines_standing_on_end_mean_a_quarter_turn() -> None:
    lying = [rectangle(10, 20 * row, 300, 14) for row in range(6)]
    standing = [rectangle(20 * column, 10, 14, 300) for column in range(6)]
    squares = [rectangle(0, 0, 20, 20)] * 10
    assert not stands_on_end(lying + squares)
    assert stands_on_end(standing + squares)
    assert stands_on_end(standing + lying[:2]) and not stands_on_end(standing[:2] + lying)
    assert not stands_on_end([]) and not stands_on_end(squares)


class DetectingEngine:
    """Detects the same lying lines in whatever image it is given, and keeps the shapes it was given."""

    def __init__(self, regions: list[Quad]) -> None:
        self.regions = regions
        self.shapes: list[tuple[int, ...]] = []

    def detect(self, image: np.ndarray) -> list[Quad]:
        self.shapes.append(image.shape)
        return self.regions


def test_a_photo_turned_a_quarter_is_detected_again_lying_flat() -> None:
    image = np.zeros((400, 200, 3), np.uint8)
    standing = [rectangle(20 * column, 10, 14, 300) for column in range(9)]
    lying = [rectangle(10, 20 * row, 300, 14) for row in range(9)]
    engine = DetectingEngine(lying)
    flat, regions, quarters = lying_flat(image, standing, engine)  # type: ignore[arg-type]
    assert quarters == 1 and flat.shape == (200, 400, 3)
    assert engine.shapes == [(200, 400, 3)] and regions == lying  # what the detector found lying, not turned


def test_the_classifier_decides_only_when_sure() -> None:
    assert classifier_verdict([0.9, 0.97, 0.6]) is True
    assert classifier_verdict([0.0, 0.1, 0.3]) is False
    assert classifier_verdict([0.9, 0.1, 0.5]) is None
    assert classifier_verdict([]) is None


def test_a_reading_scores_left_out_lines_as_zero() -> None:
    boxes = [TextBox(rectangle(0, 0, 100, 10), "TOTAL", 0.9), TextBox(rectangle(0, 20, 100, 10), "TVA", 0.7)]
    assert reading_score(boxes, 4) == pytest.approx(0.4)
    assert reading_score([], 0) == 0.0


def test_the_longest_lines_are_the_widest() -> None:
    lines = [rectangle(0, 10 * row, 50 + row, 8) for row in range(5)]
    assert longest(lines, 2) == [lines[4], lines[3]]


@pytest.mark.parametrize("quarters", [1, 2, 3, -1])
def test_regions_turn_with_the_image(quarters: int) -> None:
    image = np.zeros((60, 100, 3), np.uint8)
    image[10:20, 30:70] = 255  # a white bar: 40 wide, 10 tall
    turned_image, (region,) = turn(image, [rectangle(30, 10, 40, 10)], quarters)
    assert turned_image.shape == np.rot90(image, quarters).shape
    xs, ys = [x for x, _ in region], [y for _, y in region]
    rows, columns = np.nonzero(turned_image[:, :, 0])
    assert (min(xs), max(xs), min(ys), max(ys)) == (columns.min(), columns.max() + 1, rows.min(), rows.max() + 1)
    top_left, top_right, bottom_right, bottom_left = region
    assert top_left == (min(xs), min(ys)) and bottom_right == (max(xs), max(ys))
    assert top_right == (max(xs), min(ys)) and bottom_left == (min(xs), max(ys))


def _turned_png(data: bytes, quarters: int) -> bytes:
    pixels = np.rot90(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), quarters)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.slow
def test_a_turned_photo_is_read_like_the_upright_one(ocr_engine: RapidOcrEngine) -> None:
    sample = varied_sample(TUNING_SEEDS.start + 1, "degraded")
    upright = read_receipt(sample.data, ocr_engine)
    assert upright.turned == 0 and field_matches(upright, sample.truth)["all_four"]
    assert "orient" in upright.timings and upright.to_dict()["turned"] == 0
    for quarters in (1, 2, 3):
        reading = read_receipt(_turned_png(sample.data, quarters), ocr_engine)
        assert reading.turned == 90 * quarters
        assert {name: reading.value(name) for name in ("supplier_cif", "date", "total", "vat_lines")} == {
            name: upright.value(name) for name in ("supplier_cif", "date", "total", "vat_lines")}, quarters
        assert all(field_matches(reading, sample.truth)[name] for name in KEY_FIELDS), quarters


class RecognizeOnlyEngine:
    """An engine without the TurningEngine capability (as the optional paddleocr engine is): the real one's
    `recognize` alone."""

    def __init__(self, engine: RapidOcrEngine) -> None:
        self.name = engine.name
        self.recognize = engine.recognize


@pytest.mark.slow
def test_an_engine_that_cannot_tell_the_turn_reads_the_photo_as_it_comes(ocr_engine: RapidOcrEngine) -> None:
    sample = varied_sample(TUNING_SEEDS.start + 1, "clean")
    engine = RecognizeOnlyEngine(ocr_engine)
    assert not isinstance(engine, TurningEngine) and isinstance(ocr_engine, TurningEngine)
    upright = read_receipt(sample.data, engine)
    assert upright.turned == 0 and field_matches(upright, sample.truth)["all_four"]
