"""Receipt uploads: checked by content and normalized before they are stored (store/file_store.py).

Accepted: JPEG, PNG, WebP, TIFF and PDF, recognized by their magic bytes (never the file name), and
HEIC/HEIF when pillow-heif is installed (the OCR pipeline reads them then).
Images must decode fully within a pixel limit (decompression bombs are refused before decoding)
and are stored upright: an EXIF orientation is applied and the image re-encoded.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, ImageOps

from roa2web.data_entry.errors import ImageTooLarge, UploadRejected, UploadTooLarge
from roa2web.data_entry.filetypes import EXTENSIONS, PIL_FORMATS, sniff_content_type
from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS, ImageRefused, decode, open_image
from roa2web.data_entry.labels import FILE_TYPE_LABELS

_EXIF_ORIENTATION = 0x0112
_UNSAFE_NAME = re.compile(r"[^\w .()+-]", re.ASCII)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An upload that passed the checks: its true type, extension and the bytes to store."""

    content_type: str
    extension: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the stored bytes."""
        return hashlib.sha256(self.data).hexdigest()


def check_upload(data: bytes, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> CheckedFile:
    """Verify an upload by content and return what to store (CPU-bound: run it off the event loop).

    An image above `max_pixels` (or a decompression bomb) is refused from its header with
    ImageTooLarge (422), before a pixel is decoded; anything else wrong is UploadRejected (415).
    """
    if len(data) > max_bytes:
        raise UploadTooLarge(f"Fișierul are {len(data)} octeți; limita este {max_bytes}.")
    if not data:
        raise UploadRejected("Fișierul este gol.")
    content_type = sniff_content_type(data)
    if content_type not in EXTENSIONS:
        raise UploadRejected("Se acceptă doar fișiere JPEG, PNG, WebP, TIFF, HEIC și PDF (după conținut, nu după "
                             "nume).")
    if content_type == "image/heic":
        _enable_heif()
    if content_type == "application/pdf":
        _check_pdf(data)
        return CheckedFile(content_type, EXTENSIONS[content_type], data)
    return CheckedFile(content_type, EXTENSIONS[content_type], _upright_image(data, content_type, max_pixels))


def _enable_heif() -> None:
    """Let Pillow open HEIC/HEIF, or refuse the upload clearly when pillow-heif is not installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        raise UploadRejected("Acest server nu primește fotografii HEIC/HEIF; trimiteți un JPEG, PNG sau PDF.") from None
    register_heif_opener()


def _check_pdf(data: bytes) -> None:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise UploadRejected("PDF-ul este deteriorat sau protejat.") from None
    try:
        if len(document) == 0:
            raise UploadRejected("PDF-ul nu are nicio pagină.")
    finally:
        document.close()


def _upright_image(data: bytes, content_type: str, max_pixels: int) -> bytes:
    """Check the header, decode fully; if an EXIF orientation turns the image, re-encode it upright."""
    try:
        with open_image(data, content_type, max_pixels) as image:
            decode(image, content_type)
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
            if orientation in (None, 1):
                return data
            upright = ImageOps.exif_transpose(image)
            return _encode(upright, PIL_FORMATS[content_type])
    except ImageRefused as error:
        raise (ImageTooLarge if error.too_large else UploadRejected)(str(error)) from None
    except (OSError, ValueError, SyntaxError):  # its EXIF, or turning it upright
        raise UploadRejected(f"Fișierul {FILE_TYPE_LABELS[content_type]} este deteriorat sau nu poate fi citit."
                             ) from None


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt in ("JPEG", "WEBP"):
        image.save(buffer, format=fmt, quality=95)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def display_name(name: str | None, extension: str) -> str:
    """A harmless ASCII file name to show and offer on download: no directories, quotes or control characters."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _UNSAFE_NAME.sub("_", base).strip(" .")[:120]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'receipt'}.{extension}"
