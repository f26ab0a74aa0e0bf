"""The file types a receipt may come in, told by their leading bytes (never by a file name).

Shared by the upload checks and the OCR pipeline; needs nothing beyond the base install.
"""

from __future__ import annotations

# The types we accept and the extension each is stored with.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/tiff": "tiff",
    "image/heic": "heic",
    "application/pdf": "pdf",
}
# Pillow's format name of each bitmap type we accept (HEIF only with pillow-heif installed).
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/tiff": "TIFF",
               "image/heic": "HEIF"}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def sniff_content_type(data: bytes) -> str | None:
    """The MIME type told by the leading bytes, for the types we accept; None otherwise."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None
