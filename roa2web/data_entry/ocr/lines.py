"""Rebuild printed lines from detected text boxes.

A receipt prints a label on the left and its value far to the right; the detector returns them as
separate boxes. Boxes are grouped by vertical overlap (after undoing the page's slant), ordered
left to right and joined with as many spaces as the gap is wide, so "TOTAL ... 374,10" stays one line.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from roa2web.data_entry.ocr.engine import Glyph, TextBox

_MIN_OVERLAP = 0.45
_MAX_SPACES = 12


@dataclass(frozen=True)
class Line:
    """One printed line: its text and, for each box in it, the character span and OCR score (its sureness).

    `glyphs`, when the engine gives them, hold each character of `text` with its next-best reading
    (None for the spaces put between boxes, and for a box the engine gave none for).
    """

    text: str
    spans: tuple[tuple[int, int, float], ...]
    glyphs: tuple[Glyph | None, ...] = ()

    def glyphs_of(self, start: int, end: int) -> tuple[Glyph | None, ...]:
        """The glyphs of text[start:end]; empty when the engine gave none."""
        return self.glyphs[start:end] if self.glyphs else ()

    @property
    def score(self) -> float:
        """The weakest box score on the line."""
        return min((score for _, _, score in self.spans), default=0.0)

    def score_of(self, start: int, end: int) -> float:
        """The weakest score among boxes overlapping text[start:end] (the line's score if none)."""
        touched = [score for first, last, score in self.spans if first < end and start < last]
        return min(touched) if touched else self.score


def _slant(boxes: list[TextBox]) -> float:
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box.polygon[0], box.polygon[1]
        if x1 - x0 > 2 * (box.bottom - box.top):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


@dataclass
class _Placed:
    box: TextBox
    left: float
    right: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def _place(boxes: list[TextBox]) -> list[_Placed]:
    angle = _slant(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)
    placed = []
    for box in boxes:
        xs = [x * cos - y * sin for x, y in box.polygon]
        ys = [x * sin + y * cos for x, y in box.polygon]
        placed.append(_Placed(box, min(xs), max(xs), min(ys), max(ys)))
    return placed


def _overlap(a: _Placed, top: float, bottom: float) -> float:
    shared = min(a.bottom, bottom) - max(a.top, top)
    return shared / min(a.height, max(bottom - top, 1.0))


def group_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into printed lines, lines top to bottom, boxes left to right."""
    rows: list[list[_Placed]] = []
    for item in sorted(_place(boxes), key=lambda placed: (placed.top + placed.bottom) / 2):
        best, best_overlap = None, _MIN_OVERLAP
        for row in rows[-3:]:
            top = statistics.median(member.top for member in row)
            bottom = statistics.median(member.bottom for member in row)
            overlap = _overlap(item, top, bottom)
            if overlap >= best_overlap and not any(_collides(item, member) for member in row):
                best, best_overlap = row, overlap
        if best is None:
            rows.append([item])
        else:
            best.append(item)
    return [[member.box for member in sorted(row, key=lambda placed: placed.left)] for row in rows]


def _collides(a: _Placed, b: _Placed) -> bool:
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared > 0.5 * min(a.right - a.left, b.right - b.left)


def join_line(boxes: list[TextBox]) -> Line:
    """One line's boxes (left to right) joined with spaces proportional to the gaps between them."""
    placed = _place(boxes) if len(boxes) > 1 else []
    text, spans = "", []
    glyphs: list[Glyph | None] = []
    for index, box in enumerate(boxes):
        if index:
            before, after = placed[index - 1], placed[index]
            width = before.right - before.left
            char_width = width / max(len(before.box.text), 1)
            gap = after.left - before.right
            spaces = max(1, min(_MAX_SPACES, round(gap / max(char_width, 1.0))))
            text += " " * spaces
            glyphs += [None] * spaces
        start = len(text)
        text += box.text
        glyphs += box.glyphs or [None] * len(box.text)
        spans.append((start, len(text), box.sureness))
    return Line(text, tuple(spans), tuple(glyphs) if any(glyphs) else ())


def rebuild_lines(boxes: list[TextBox]) -> list[Line]:
    """The receipt's lines, top to bottom."""
    return [join_line(row) for row in group_lines(boxes)]
