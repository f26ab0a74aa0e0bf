"""Print a VariedReceipt's rows on thermal paper of its width, in one of the receipt fonts."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from tests.support.receipts.content import VariedReceipt
from tests.support.receipts.fonts import FONTS, load_font

DOTS = {"58mm": 384, "80mm": 576, "80mm-wide": 576}  # printable dots across at 203 dpi


def render_paper(receipt: VariedReceipt, font_name: str, rng: random.Random) -> Image.Image:
    """The printed paper: `font_name`, 1.5-2.5 pixels per printer dot, slightly uneven ink; RGB."""
    scale = rng.uniform(1.5, 2.5)
    text_width = DOTS[receipt.paper] * scale
    margin = int(text_width * 0.06)
    size = _fitting_size(receipt, font_name, text_width)
    regular, bold = load_font(font_name, size), load_font(font_name, size, bold=True)
    line_height = int(size * rng.uniform(1.25, 1.5))
    width, height = int(text_width) + 2 * margin, len(receipt.rows) * line_height + 2 * margin
    paper = Image.new("RGB", (width, height), (rng.randrange(240, 253),) * 2 + (rng.randrange(232, 248),))
    draw = ImageDraw.Draw(paper)
    for index, row in enumerate(receipt.rows):
        font = bold if row.bold else regular
        ink = rng.randrange(15, 75)
        fill = (ink, ink, ink + rng.randrange(0, 12))
        top = margin + index * line_height
        if row.center:
            draw.text((margin + (text_width - font.getlength(row.left)) / 2, top), row.left, font=font, fill=fill)
            continue
        draw.text((margin, top), row.left, font=font, fill=fill)
        if row.right:
            draw.text((margin + text_width - font.getlength(row.right), top), row.right, font=font, fill=fill)
    return paper


def _fitting_size(receipt: VariedReceipt, font_name: str, text_width: float) -> int:
    """The font size filling `receipt.width` characters across, shrunk until every row fits."""
    probe = load_font(font_name, 100)
    size = int(100 * text_width / (receipt.width * probe.getlength("0")))
    if not FONTS[font_name].monospace:
        size = int(size * 1.15)  # proportional faces are narrower on average than their digits
    widest = max(probe.getlength(f"{row.left}  {row.right}") for row in receipt.rows)
    return max(8, min(size, int(100 * text_width / widest)))


def paper_array(paper: Image.Image) -> np.ndarray:
    """The paper as a float32 HxWx3 array in 0..255."""
    return np.asarray(paper).astype(np.float32)
