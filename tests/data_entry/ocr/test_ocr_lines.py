"""Rebuilding printed lines from text boxes, and straightening photographed receipts."""

from __future__ import annotations

import math
import random

import numpy as np

from roa2web.data_entry.ocr.engine import TextBox
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.lines import rebuild_lines
from roa2web.data_entry.ocr.straighten import find_paper, straighten
from tests.support.receipt_content import make_receipt
from tests.support.receipt_images import photograph, receipt_sample, render_receipt


def _box(text: str, left: float, top: float, slant_degrees: float = 0.0, score: float = 0.95) -> TextBox:
    """A box 12 px per character and 20 px high, rotated about the origin by `slant_degrees`."""
    angle = math.radians(slant_degrees)
    corners = [(left, top), (left + 12 * len(text), top), (left + 12 * len(text), top + 20), (left, top + 20)]
    turned = [(x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle))
              for x, y in corners]
    return TextBox((turned[0], turned[1], turned[2], turned[3]), text, score)


def test_label_and_value_columns_join_on_one_line_even_when_slanted() -> None:
    boxes = [
        _box("374,10", 400, 30, 4), _box("TOTAL", 10, 30, 4), _box("CARD", 10, 60, 4),
        _box("374,10", 400, 60, 4, score=0.6), _box("ALFA SRL", 100, 0, 4),
    ]
    random.Random(3).shuffle(boxes)
    lines = rebuild_lines(boxes)
    assert [line.text.split() for line in lines] == [["ALFA", "SRL"], ["TOTAL", "374,10"], ["CARD", "374,10"]]
    assert lines[1].text.startswith("TOTAL ") and lines[1].text.count(" ") >= 5
    card = lines[2]
    value_at = card.text.index("374,10")
    assert card.score_of(value_at, value_at + 6) == 0.6
    assert card.score_of(0, 4) == 0.95
    assert card.score == 0.6


def test_a_line_scores_each_box_by_its_weakest_character_when_the_engine_gives_it() -> None:
    polygon = ((0.0, 0.0), (120.0, 0.0), (120.0, 20.0), (0.0, 20.0))
    assert TextBox(polygon, "LAMIDA SRL", 0.97, 0.41).sureness == 0.41
    assert TextBox(polygon, "LAMBDA SRL", 0.97).sureness == 0.97  # an engine without character scores
    (line,) = rebuild_lines([TextBox(polygon, "LAMIDA SRL", 0.97, 0.41)])
    assert line.score == 0.41


def test_overlapping_boxes_in_one_row_stay_separate_lines_when_stacked() -> None:
    lines = rebuild_lines([_box("TVA A 21,00%", 10, 100), _box("TVA B 11,00%", 10, 121), _box("63,00", 400, 101)])
    assert [line.text.split() for line in lines] == [["TVA", "A", "21,00%", "63,00"], ["TVA", "B", "11,00%"]]


def test_no_boxes_no_lines() -> None:
    assert rebuild_lines([]) == []


def test_photographed_receipt_is_found_and_flattened() -> None:
    sample = receipt_sample(3, "degraded")
    pixels = load_image(sample.data).pixels
    quad = find_paper(pixels)
    assert quad is not None
    flat, done = straighten(pixels)
    assert done
    width = flat.shape[1]
    assert 0.3 * pixels.shape[1] < width < pixels.shape[1]
    assert np.median(flat) > 150


def test_scan_without_background_is_left_untouched() -> None:
    _, printed = make_receipt(5)
    pixels = np.asarray(render_receipt(printed))
    flat, done = straighten(pixels)
    assert not done and flat is pixels


def test_photo_without_a_clear_paper_edge_is_left_untouched() -> None:
    noise = np.random.default_rng(1).integers(0, 255, size=(600, 400, 3), dtype=np.uint8)
    flat, done = straighten(noise)
    assert not done and flat is noise


def test_photograph_is_deterministic() -> None:
    _, printed = make_receipt(8)
    paper = render_receipt(printed)
    first = np.asarray(photograph(paper, random.Random(1)))
    again = np.asarray(photograph(paper, random.Random(1)))
    assert np.array_equal(first, again)
