"""Motion blur: its length and direction found from the photo alone, undone, and a blurred receipt read."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from roa2web.data_entry.ocr.deblur import blur_estimate, deblurred, deconvolve, motion_kernel
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from tests.support.receipt_scoring import field_matches
from tests.support.receipts.sets import varied_sample


def page() -> np.ndarray:
    """A grey page of printed lines (what the estimate and the filter work on)."""
    gray = np.full((600, 480), 235, np.uint8)
    for row in range(14):
        cv2.putText(gray, f"TOTAL {row * 37 % 100},{row * 13 % 100:02d} LEI", (20, 40 + 40 * row),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, 30, 2)
    return gray


@pytest.mark.parametrize(("length", "degrees"), [(12.0, 30.0), (8.0, 120.0), (20.0, 75.0)])
def test_the_length_and_direction_of_a_blur_are_found(length: float, degrees: float) -> None:
    blurred = cv2.filter2D(page(), -1, motion_kernel(length, degrees))
    found = blur_estimate(blurred)
    assert found is not None
    found_length, found_degrees = found
    assert abs(found_length - length) <= 1.5
    assert min(abs(found_degrees - degrees) % 180, 180 - abs(found_degrees - degrees) % 180) <= 8


def test_deconvolution_brings_the_page_back_closer_to_sharp() -> None:
    sharp = page()
    kernel = motion_kernel(12, 30)
    blurred = cv2.filter2D(sharp, -1, kernel)
    restored = deconvolve(blurred, kernel)
    error = lambda image: float(np.abs(image.astype(np.float32) - sharp).mean())  # noqa: E731
    assert error(restored) < 0.8 * error(blurred)


def test_a_tiny_image_has_no_estimate() -> None:
    assert blur_estimate(np.full((6, 6), 200, np.uint8)) is None
    assert deblurred(np.full((6, 6, 3), 200, np.uint8)) is None


@pytest.mark.slow
def test_a_motion_blurred_hard_photo_is_read_after_the_blur_is_undone(ocr_engine: RapidOcrEngine) -> None:
    sample = varied_sample(100013, "hard")  # tuning set: folded, shadowed, JPEG 40 and a shaky hand
    assert "motion_blur" in sample.degradations
    reading = read_receipt(sample.data, ocr_engine)
    assert field_matches(reading, sample.truth)["all_four"], reading.lines
    assert reading.timings["deblur"] > 0
    sharp = deblurred(load_image(sample.data).pixels)
    assert sharp is not None and sharp.shape[2] == 3
