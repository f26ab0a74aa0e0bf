"""Find how a photo is turned (0, 90, 180 or 270°) from the detection it is read with, and turn it upright.

Text lines are much wider than tall: when most detected lines stand on end, the photo is turned a
quarter (when the detector found hardly any line, it also looks at the photo turned a quarter, as it
finds standing lines less well in a poor photo), and a photo turned a quarter is detected again lying
flat. Once the lines lie flat, the angle classifier looks at the longest few and says whether they are
upside down; when it is unsure, the recogniser reads a few of them both ways and the surer reading wins.
The image and the regions are turned together, so an upright photo is detected once and only its few
longest lines are classified.
"""

from __future__ import annotations

import math

import numpy as np

from roa2web.data_entry.ocr.engine import Quad, TextBox, TurningEngine

ELONGATION = 2.0  # a line counts as lying or standing when one side is at least this many times the other
FEW_LINES = 8  # with fewer regions than this, the photo turned a quarter is detected too
CLASSIFIED_LINES = 8  # the longest lines the angle classifier looks at
SURE = 0.25  # the classifier is sure when its mean probability is this far from one half
READ_LINES = 4  # the longest lines read both ways when the classifier is unsure


def turn_upright(
    image: np.ndarray, regions: list[Quad], engine: TurningEngine,
) -> tuple[np.ndarray, list[Quad], int]:
    """`image` and its detected text `regions` upright, and how many degrees counterclockwise it was turned."""
    image, regions, quarters = lying_flat(image, regions, engine)
    if is_upside_down(image, regions, engine):
        image, regions = turn(image, regions, 2)
        quarters += 2
    return image, regions, 90 * quarters


def lying_flat(
    image: np.ndarray, regions: list[Quad], engine: TurningEngine,
) -> tuple[np.ndarray, list[Quad], int]:
    """`image` and `regions` turned so the text lines lie flat, and the quarters turned (0 or 1) for that.

    A photo turned a quarter is detected again once its lines lie flat: the detector finds standing lines
    less well, above all in a blurred photo. With fewer than FEW_LINES regions lying flat, the detector is
    given the photo turned a quarter too, and its regions are kept if there are more of them.
    """
    if stands_on_end(regions):
        image = np.rot90(image, -1)
        return image, engine.detect(image), 1
    if len(regions) < FEW_LINES:
        quarter_image = np.rot90(image, -1)
        quarter_regions = engine.detect(quarter_image)
        if len(quarter_regions) > len(regions) and not stands_on_end(quarter_regions):
            return quarter_image, quarter_regions, 1
    return image, regions, 0


def is_upside_down(image: np.ndarray, regions: list[Quad], engine: TurningEngine) -> bool:
    """Whether the lying text `regions` of `image` are upside down: the classifier's word, or the reader's."""
    lines = longest(regions, CLASSIFIED_LINES)
    verdict = classifier_verdict(engine.upside_down(image, lines))
    if verdict is not None:
        return verdict
    lines = lines[:READ_LINES]
    flipped_image, flipped_lines = turn(image, lines, 2)
    return (reading_score(engine.read(flipped_image, flipped_lines), len(lines))
            > reading_score(engine.read(image, lines), len(lines)))


def stands_on_end(regions: list[Quad]) -> bool:
    """Whether more of the elongated text regions are tall than wide (the photo is turned a quarter)."""
    standing = lying = 0
    for region in regions:
        width, height = _sides(region)
        if height >= ELONGATION * width:
            standing += 1
        elif width >= ELONGATION * height:
            lying += 1
    return standing > lying


def classifier_verdict(probabilities: list[float]) -> bool | None:
    """Whether lines are upside down, from each one's probability of it: None when no line or unsure."""
    if not probabilities:
        return None
    mean = sum(probabilities) / len(probabilities)
    return None if abs(mean - 0.5) < SURE else mean > 0.5


def reading_score(boxes: list[TextBox], lines: int) -> float:
    """The recogniser's mean score over `lines` lines read, a line it left out counting zero."""
    return sum(box.score for box in boxes) / lines if lines else 0.0


def longest(regions: list[Quad], count: int) -> list[Quad]:
    """The `count` regions with the longest top side (the lines with the most text to judge by)."""
    return sorted(regions, key=lambda region: _sides(region)[0], reverse=True)[:count]


def turn(image: np.ndarray, regions: list[Quad], quarters: int) -> tuple[np.ndarray, list[Quad]]:
    """`image` turned by `quarters` × 90° counterclockwise (negative: clockwise), and `regions` with it.

    Each region keeps its corners clockwise from the top-left of the turned image.
    """
    quarters %= 4
    height, width = image.shape[:2]
    turned = []
    for region in regions:
        corners = [_turn_point(point, quarters, width, height) for point in region]
        first, second, third, fourth = corners[quarters:] + corners[:quarters]
        turned.append((first, second, third, fourth))
    return np.rot90(image, quarters), turned


def _turn_point(point: tuple[float, float], quarters: int, width: int, height: int) -> tuple[float, float]:
    x, y = point
    match quarters:
        case 1:
            return y, width - x
        case 2:
            return width - x, height - y
        case 3:
            return height - y, x
    return x, y


def _sides(region: Quad) -> tuple[float, float]:
    """The region's width (top-left to top-right) and height (top-left to bottom-left)."""
    (x0, y0), (x1, y1), _, (x3, y3) = region
    return math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
