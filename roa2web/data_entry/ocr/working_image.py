"""A decoded image of any accepted mode → 8-bit RGB no longer than the OCR working size, in bounded memory.

An 8-bit grey or RGB image is reduced at once. Any other mode is converted a band of rows at a time,
each band shrunk by the same integer factor (Pillow's `reduce`, a box filter) right after its
conversion, so no full-size copy in a wider mode is ever made: 16-bit and float greys (I;16, I, F)
are stretched to 8 bits between their extremes, transparency is flattened on white, CMYK, palettes
and the rest become RGB. A last Lanczos resize brings the longest side down to `max_side`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PIL import Image

# pixels converted at a time (a float32 band of them is 4 bytes a pixel)
BAND_PIXELS = 2_000_000
_DEEP_GREYS = ("I", "F")  # I, I;16, I;16B, I;16L, I;16N and F all start with one of these
_ALPHA = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
type BandConverter = Callable[[Image.Image], Image.Image]


def working_rgb(image: Image.Image, max_side: int, orientation: int = 1) -> Image.Image:
    """`image` (decoded) as 8-bit RGB, longest side at most `max_side`, EXIF `orientation` applied."""
    factor = max(1, max(image.size) // max_side)
    if image.mode in ("L", "RGB"):
        reduced = image.reduce(factor) if factor > 1 else image
    else:
        reduced = _convert_in_bands(image, factor, *_converter(image))
    rgb = reduced if reduced.mode == "RGB" else reduced.convert("RGB")
    if max(rgb.size) > max_side:
        ratio = max_side / max(rgb.size)
        rgb = rgb.resize((max(1, round(rgb.width * ratio)), max(1, round(rgb.height * ratio))),
                         Image.Resampling.LANCZOS)
    method = _TRANSPOSE.get(orientation)
    return rgb.transpose(method) if method is not None else rgb


def _convert_in_bands(image: Image.Image, factor: int, mode: str, convert: BandConverter) -> Image.Image:
    """`image` converted to `mode` band by band, each band reduced by `factor` as soon as it is converted."""
    width, height = image.size
    rows = factor * max(1, BAND_PIXELS // (width * factor))
    out = Image.new(mode, (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        band = convert(image.crop((0, top, width, min(height, top + rows))))
        out.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return out


def _converter(image: Image.Image) -> tuple[str, BandConverter]:
    """The 8-bit mode `image` becomes and how one band of it is converted."""
    if image.mode.startswith(_DEEP_GREYS):
        low, high = image.getextrema()  # one band, so two numbers
        return "L", _stretch_to_grey(float(low), float(high))  # type: ignore[arg-type]
    if image.mode in _ALPHA or (image.mode == "P" and "transparency" in image.info):
        return "RGB", _on_white
    if image.mode == "1":
        return "L", lambda band: band.convert("L")
    return "RGB", lambda band: band.convert("RGB")


def _stretch_to_grey(low: float, high: float) -> BandConverter:
    """16-bit, 32-bit and float greys → L, `low`..`high` (the image's extremes) spread over 0..255."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    scale = 255.0 / ((high - low) or 1.0)

    def convert(band: Image.Image) -> Image.Image:
        values = np.nan_to_num(np.asarray(band, dtype=np.float32), nan=low, posinf=high, neginf=low)
        values -= low
        values *= scale
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))

    return convert


def _on_white(band: Image.Image) -> Image.Image:
    rgba = band.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
