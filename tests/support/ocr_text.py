"""Receipt text typed by hand, turned into the lines the OCR pipeline rebuilds from boxes."""

from __future__ import annotations

from roa2web.data_entry.ocr.lines import Line


def text_lines(text: str, score: float = 0.99) -> list[Line]:
    """`text` as rebuilt lines, one OCR box per line, every box with `score`."""
    return [Line(row, ((0, len(row), score),)) for row in text.strip("\n").splitlines()]
