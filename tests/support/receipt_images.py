"""Render generated fiscal receipts with Pillow and photograph them badly, for tests and benchmarks.

`receipt_sample(seed, kind)` gives the encoded image bytes plus the ground truth. Kinds:
- ``clean``: the printed paper alone, PNG;
- ``degraded``: a phone photo: paper on a table, perspective, rotation, shadow, blur, noise, JPEG;
- ``hard``: the same photo, then heavily blurred and downscaled.
Everything is seeded and deterministic.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.support.receipt_content import WIDTH, ReceiptTruth, make_receipt

KINDS = ("clean", "degraded", "hard")
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
type Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class ReceiptSample:
    """An encoded receipt image and what reading it should give."""

    seed: int
    kind: str
    data: bytes
    truth: ReceiptTruth


@cache
def _font(size: int, bold: bool) -> Font:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(str(_FONT_DIR / name), size)
    except OSError:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            return ImageFont.load_default(size)


def render_receipt(lines: list[str], font_size: int = 26, seed: int = 0) -> Image.Image:
    """Print `lines` on thermal paper: monospace, bold name and totals, slightly uneven ink."""
    rng = random.Random(seed)
    regular, bold = _font(font_size, False), _font(font_size, True)
    char_width = regular.getlength("M")
    line_height = int(font_size * 1.35)
    margin = font_size * 2
    width = int(WIDTH * char_width) + 2 * margin
    height = len(lines) * line_height + 2 * margin
    paper = Image.new("RGB", (width, height), (250, 249, 245))
    draw = ImageDraw.Draw(paper)
    for index, line in enumerate(lines):
        ink = rng.randrange(20, 70)
        strong = index == 0 or line.startswith(("TOTAL", "TOTAL:"))
        draw.text((margin, margin + index * line_height), line, font=bold if strong else regular,
                  fill=(ink, ink, ink + 5))
    return paper


def photograph(paper: Image.Image, rng: random.Random, hard: bool = False) -> Image.Image:
    """A phone photo of `paper`: on a table, in perspective and rotated, shadowed, blurred, noisy."""
    source = np.asarray(paper)
    height, width = source.shape[:2]
    pad_x, pad_y = int(width * rng.uniform(0.08, 0.25)), int(height * rng.uniform(0.04, 0.12))
    out_w, out_h = width + 2 * pad_x, height + 2 * pad_y
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    jitter = 0.04 * width
    angle = np.deg2rad(rng.uniform(-3.5, 3.5))
    center = np.array([out_w / 2, out_h / 2], dtype=np.float32)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], dtype=np.float32)
    shift = np.array([[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)], np.float32)
    placed = (corners + np.array([pad_x, pad_y], np.float32) - center) @ rotation.T + center + shift
    matrix = cv2.getPerspectiveTransform(corners, placed.astype(np.float32))
    table = (rng.randrange(60, 140), rng.randrange(50, 110), rng.randrange(30, 90))
    photo = cv2.warpPerspective(source, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=table)
    image = shadow(Image.fromarray(photo), rng)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    long_side = rng.uniform(1400, 2200)
    if hard:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(2.0, 3.0)))
        long_side = rng.uniform(650, 800)
    scale = long_side / max(out_w, out_h)
    image = image.resize((round(out_w * scale), round(out_h * scale)), Image.Resampling.LANCZOS)
    return add_noise(image, rng.uniform(4, 10), rng)


def shadow(image: Image.Image, rng: random.Random) -> Image.Image:
    """Darken one side of the picture with a soft linear gradient, as a hand or phone casts."""
    array = np.asarray(image).astype(np.float32)
    height, width = array.shape[:2]
    strength = rng.uniform(0.2, 0.45)
    ramp = np.linspace(1 - strength, 1, width if rng.random() < 0.5 else height, dtype=np.float32)
    ramp = ramp if rng.random() < 0.5 else ramp[::-1]
    factor = ramp[None, :, None] if ramp.size == width else ramp[:, None, None]
    return Image.fromarray(np.clip(array * factor, 0, 255).astype(np.uint8))


def add_noise(image: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    """Add Gaussian sensor noise of standard deviation `sigma` (seeded)."""
    generator = np.random.default_rng(rng.randrange(2**32))
    array = np.asarray(image).astype(np.float32)
    noisy = array + generator.normal(0, sigma, array.shape).astype(np.float32)
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def encode(image: Image.Image, fmt: str = "JPEG", quality: int = 85) -> bytes:
    """Encode `image` the way a phone or scanner would send it."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=quality) if fmt == "JPEG" else image.save(buffer, format=fmt)
    return buffer.getvalue()


def receipt_sample(seed: int, kind: str = "clean") -> ReceiptSample:
    """The receipt for `seed`, rendered as `kind` (clean / degraded / hard)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    truth, lines = make_receipt(seed)
    rng = random.Random(seed * 7919 + KINDS.index(kind))
    paper = render_receipt(lines, font_size=rng.choice((22, 24, 26, 28)), seed=seed)
    if kind == "clean":
        return ReceiptSample(seed, kind, encode(paper, "PNG"), truth)
    photo = photograph(paper, rng, hard=kind == "hard")
    quality = rng.randrange(40, 60) if kind == "hard" else rng.randrange(55, 85)
    return ReceiptSample(seed, kind, encode(photo, "JPEG", quality), truth)


def receipt_set(kind: str, count: int, first_seed: int = 0) -> list[ReceiptSample]:
    """`count` receipts of one kind with consecutive seeds from `first_seed`."""
    return [receipt_sample(seed, kind) for seed in range(first_seed, first_seed + count)]
