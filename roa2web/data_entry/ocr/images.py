"""Uploaded bytes → an RGB pixel array, refusing what is not a safe, decodable image.

Types are recognised by their magic bytes, never by a file name. JPEG, PNG, WebP and TIFF decode
with Pillow, HEIC/HEIF when pillow-heif is installed, PDF (first page) with pypdfium2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image

from roa2web.data_entry.filetypes import sniff_content_type
from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS, ImageRefused, decode, open_image
from roa2web.data_entry.ocr.errors import ImageRejected
from roa2web.data_entry.ocr.working_image import working_rgb

MAX_BYTES = 25 * 1024 * 1024
# The engine reads at most this much: rapidocr scales any larger image down to 2000 (Global.max_side_len)
# before detecting and cropping lines. A 4000×3000 phone JPEG then decodes at exactly half size.
MAX_SIDE = 2000
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class LoadedImage:
    """A decoded upload: RGB pixels, the detected type and the size before any downscaling."""

    pixels: np.ndarray
    content_type: str
    original_size: tuple[int, int]


def load_image(data: bytes, max_side: int = MAX_SIDE, max_pixels: int = DEFAULT_MAX_PIXELS) -> LoadedImage:
    """Decode `data` into 8-bit RGB pixels, EXIF orientation applied, longest side at most `max_side`.

    Size and mode are checked from the header before decoding (image_limits.py); a JPEG is decoded
    already scaled down (its draft), any other image converted and shrunk band by band
    (working_image.py), so a 16-bit or float image never costs more than its decoded self.
    """
    if len(data) > MAX_BYTES:
        raise ImageRejected(f"Fișierul este prea mare: {len(data)} octeți (limita: {MAX_BYTES}).")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ImageRejected("Fișierul nu este JPEG, PNG, WebP, TIFF, HEIC sau PDF.")
    if content_type == "application/pdf":
        image = _render_pdf(data, max_side)
        return LoadedImage(np.asarray(working_rgb(image, max_side)), content_type, image.size)
    if content_type == "image/heic":
        _enable_heif()
    try:
        image = open_image(data, content_type, max_pixels)
        original_size = image.size
        if image.format == "JPEG":
            image.draft("RGB", _draft_size(original_size, max_side))
        decode(image, content_type)
        orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except ImageRefused as error:
        raise ImageRejected(str(error)) from None
    try:
        working = working_rgb(image, max_side, orientation)
    except (OSError, ValueError) as error:
        raise ImageRejected("Imaginea nu poate fi adusă la culori obișnuite (RGB) pentru citire.") from error
    return LoadedImage(np.asarray(working), content_type, original_size)


def _draft_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """What to ask of a JPEG draft: the image's shape with its longest side at `max_side` (never below)."""
    ratio = min(1.0, max_side / max(size))
    return max(1, math.ceil(size[0] * ratio)), max(1, math.ceil(size[1] * ratio))


@cache
def _enable_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError as error:
        raise ImageRejected("Acest server nu citește fotografii HEIC; trimiteți un JPEG, PNG sau PDF.") from error
    register_heif_opener()


def _render_pdf(data: bytes, max_side: int) -> Image.Image:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ImageRejected("PDF-ul este deteriorat sau protejat.") from error
    try:
        if len(document) == 0:
            raise ImageRejected("PDF-ul nu are nicio pagină.")
        page = document[0]
        width, height = page.get_size()
        scale = min(300 / 72, max_side / max(width, height, 1.0))
        image: Image.Image = page.render(scale=scale).to_pil()
        return image
    finally:
        document.close()
