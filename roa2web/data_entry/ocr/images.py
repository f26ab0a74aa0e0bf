"""Uploaded bytes → an RGB pixel array, refusing what is not a safe, decodable image.

Types are recognised by their magic bytes, never by a file name. JPEG, PNG, WebP and TIFF decode
with Pillow, HEIC/HEIF when pillow-heif is installed, PDF (first page) with pypdfium2.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageOps

from roa2web.data_entry.filetypes import MAX_PIXELS, PIL_FORMATS, sniff_content_type
from roa2web.data_entry.labels import FILE_TYPE_LABELS
from roa2web.data_entry.ocr.errors import ImageRejected

MAX_BYTES = 25 * 1024 * 1024
MAX_SIDE = 2400

@dataclass(frozen=True)
class LoadedImage:
    """A decoded upload: RGB pixels, the detected type and the size before any downscaling."""

    pixels: np.ndarray
    content_type: str
    original_size: tuple[int, int]


def load_image(data: bytes, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    """Decode `data` into RGB pixels, EXIF orientation applied, longest side at most `max_side`."""
    if len(data) > MAX_BYTES:
        raise ImageRejected(f"Fișierul este prea mare: {len(data)} octeți (limita: {MAX_BYTES}).")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ImageRejected("Fișierul nu este JPEG, PNG, WebP, TIFF, HEIC sau PDF.")
    if content_type == "application/pdf":
        image = _render_pdf(data, max_side)
        original_size = image.size
    else:
        image, original_size = _open_bitmap(data, content_type, max_side, max_pixels)
    image = _shrink(_to_rgb(image), max_side)
    return LoadedImage(np.asarray(image), content_type, original_size)


def _open_bitmap(
    data: bytes, content_type: str, max_side: int, max_pixels: int
) -> tuple[Image.Image, tuple[int, int]]:
    if content_type == "image/heic":
        _enable_heif()
    try:
        image = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[content_type]])
    except Image.DecompressionBombError as error:
        raise ImageRejected("Imaginea se decomprimă la o mărime periculoasă și a fost refuzată.") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageRejected(f"Fișierul {FILE_TYPE_LABELS[content_type]} este deteriorat sau nu poate fi citit."
                            ) from error
    width, height = image.size
    if width * height > max_pixels or width < 1 or height < 1:
        raise ImageRejected(f"O imagine de {width}×{height} pixeli este prea mare (limita: {max_pixels} pixeli).")
    if image.format == "JPEG":
        image.draft("RGB", (max_side, max_side))
    try:
        image.load()
        return ImageOps.exif_transpose(image), (width, height)
    except Image.DecompressionBombError as error:
        raise ImageRejected("Imaginea se decomprimă la o mărime periculoasă și a fost refuzată.") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageRejected(f"Fișierul {FILE_TYPE_LABELS[content_type]} este deteriorat sau incomplet.") from error


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


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        array = np.asarray(image, dtype=np.float64)
        span = float(array.max() - array.min()) or 1.0
        image = Image.fromarray(((array - array.min()) * 255 / span).astype(np.uint8))
    return image.convert("RGB")


def _shrink(image: Image.Image, max_side: int) -> Image.Image:
    if max(image.size) <= max_side:
        return image
    ratio = max_side / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
