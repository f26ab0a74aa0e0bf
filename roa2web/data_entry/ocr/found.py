"""A value read from a receipt, with the OCR score of the text it came from and where it was."""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.data_entry.ocr.engine import Glyph


@dataclass(frozen=True)
class Found[T]:
    """A value as printed, the OCR score of the text it came from and its line index.

    `cost` is 0 for the reading as printed, one more for each step away from it (candidates.py).
    `glyphs`: for a value kept as the text printed, each of its characters' next-best reading, when known.
    """

    value: T
    score: float
    line: int
    cost: int = 0
    glyphs: tuple[Glyph | None, ...] = ()
