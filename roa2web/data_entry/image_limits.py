"""What an uploaded image may be, judged from its header before a single pixel is decoded.

Pillow's lazy open reads the size and mode without decoding. An image with more pixels than the
limit (DATA_ENTRY_MAX_IMAGE_MP), in a mode we cannot turn into 8-bit RGB, or that Pillow itself
calls a decompression bomb is refused there. Every mode accepted is stored by Pillow in 1, 2 or 4
bytes a pixel, so decoding an accepted image costs at most 4 bytes × the limit: the limit bounds
the memory any file can take. Shared by the upload checks (workflow/uploads.py) and the OCR loader
(ocr/images.py), which turn `ImageRefused` into their own errors.
"""

from __future__ import annotations

import io

from PIL import Image

from roa2web.data_entry.filetypes import PIL_FORMATS
from roa2web.data_entry.labels import FILE_TYPE_LABELS

DEFAULT_MAX_PIXELS = 40_000_000
# The Pillow modes our formats decode to that the OCR loader can turn into 8-bit RGB.
ACCEPTED_MODES = frozenset({
    "1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB", "HSV",
    "I", "I;16", "I;16B", "I;16L", "I;16N", "F",
})
_BOMB = "Imaginea se decomprimă la o mărime periculoasă și a fost refuzată."


class ImageRefused(ValueError):
    """An image refused by its header or while decoding; `too_large` when its size is the reason."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def megapixels(pixels: int) -> str:
    """`pixels` in megapixels as people here write them: one decimal, a comma (48,0)."""
    return f"{pixels / 1_000_000:.1f}".replace(".", ",")


def open_image(data: bytes, content_type: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Open a bitmap lazily and check its header: size within `max_pixels`, a mode we can convert.

    Nothing is decoded yet: the caller decodes with `decode()` once it has chosen how (a JPEG draft).
    """
    try:
        image = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[content_type]])
    except Image.DecompressionBombError:
        raise ImageRefused(_BOMB, too_large=True) from None
    except (OSError, ValueError, SyntaxError):
        label = FILE_TYPE_LABELS[content_type]
        raise ImageRefused(f"Fișierul {label} este deteriorat sau nu poate fi citit.") from None
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRefused(f"Fișierul {FILE_TYPE_LABELS[content_type]} nu are nicio imagine.")
    if width * height > max_pixels:
        raise ImageRefused(
            f"O imagine de {width}×{height} pixeli ({megapixels(width * height)} MP) este prea mare; limita este "
            f"{megapixels(max_pixels)} MP. Trimiteți o fotografie la o rezoluție mai mică.", too_large=True)
    if image.mode not in ACCEPTED_MODES:
        raise ImageRefused(f"Imaginea folosește un mod de culoare pe care nu îl putem citi ({image.mode}); "
                           "trimiteți o fotografie JPEG sau PNG obișnuită.")
    return image


def decode(image: Image.Image, content_type: str) -> None:
    """Decode the pixels of an image `open_image` accepted, refusing a damaged or truncated file."""
    try:
        image.load()
    except Image.DecompressionBombError:
        raise ImageRefused(_BOMB, too_large=True) from None
    except (OSError, ValueError, SyntaxError):
        raise ImageRefused(f"Fișierul {FILE_TYPE_LABELS[content_type]} este deteriorat sau incomplet.") from None
