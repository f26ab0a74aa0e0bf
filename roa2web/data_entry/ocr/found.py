"""A value read from a receipt, with the OCR score of the text it came from and where it was."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Found[T]:
    """A value as printed, the OCR score of the text it came from and its line index.

    `cost` is 0 for the reading as printed, one more for each step away from it (candidates.py).
    """

    value: T
    score: float
    line: int
    cost: int = 0
