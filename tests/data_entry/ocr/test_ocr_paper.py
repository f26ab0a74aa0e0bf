"""Finding the receipt in hard photos: the corners found are near where the generator put the paper."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.paper import _framed_by_lines, order_corners
from roa2web.data_entry.ocr.straighten import find_paper, straighten
from tests.support.receipts.sets import varied_sample


def _corner_error(found: np.ndarray, true: np.ndarray) -> float:
    """The farthest corner's distance over the paper's longer extent, pairing corners as well as possible
    (a receipt turned a quarter has its first corner elsewhere)."""
    shifts = [np.roll(found, shift, axis=0) for shift in range(4)]
    farthest = min(float(np.linalg.norm(shifted - true, axis=1).max()) for shifted in shifts)
    return farthest / float(np.ptp(true, axis=0).max())


# Tuning seeds with a shadow across paper on a grey desk (100009), a printed sheet touching the receipt
# (100019), and a receipt turned a quarter with a shadow (100031).
@pytest.mark.parametrize("seed", [100009, 100019, 100031])
def test_paper_corners_are_found_in_hard_photos(seed: int) -> None:
    sample = varied_sample(seed, "hard")
    found = find_paper(load_image(sample.data).pixels)
    assert found is not None
    true = order_corners(np.array(sample.corners, np.float32))
    assert _corner_error(found, true) < 0.03


def test_receipt_turned_a_quarter_is_flattened_lying_on_its_side() -> None:
    sample = varied_sample(100031, "hard")
    assert "rot270" in sample.degradations
    flat, done = straighten(load_image(sample.data).pixels)
    assert done
    top_left, top_right, bottom_right, bottom_left = np.array(sample.corners, np.float32)
    printed_width = np.linalg.norm(top_right - top_left) + np.linalg.norm(bottom_right - bottom_left)
    printed_height = np.linalg.norm(bottom_left - top_left) + np.linalg.norm(bottom_right - top_right)
    assert flat.shape[1] / flat.shape[0] == pytest.approx(printed_height / printed_width, rel=0.15)


def _draw_line(outline: np.ndarray, rho: float, theta_degrees: float) -> None:
    theta = np.deg2rad(theta_degrees)
    foot = rho * np.array([np.cos(theta), np.sin(theta)])
    along = 2000 * np.array([-np.sin(theta), np.cos(theta)])
    start, end = (foot - along).round().astype(int), (foot + along).round().astype(int)
    cv2.line(outline, (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), 255, 1)


def test_outline_lines_that_frame_no_sheet_give_no_quad() -> None:
    # Two parallel lines at 34°, one at 0° and one at 60°: each line pairs with a near-parallel one as
    # "opposite sides", but two of the four would have to cross while parallel. No quadrilateral.
    outline = np.zeros((640, 640), np.uint8)
    for rho, theta in ((150, 0), (300, 34), (420, 34), (500, 60)):
        _draw_line(outline, rho, theta)
    assert _framed_by_lines(outline) == []
