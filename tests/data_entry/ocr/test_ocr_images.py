"""Loading uploads: type sniffing by content, formats, EXIF orientation, and hostile files."""

from __future__ import annotations

import importlib.util
import io
import struct
import zlib

import pytest
from PIL import Image

from roa2web.data_entry.filetypes import sniff_content_type
from roa2web.data_entry.ocr.errors import ImageRejected
from roa2web.data_entry.ocr.images import MAX_BYTES, load_image


def _encoded(fmt: str, size: tuple[int, int] = (120, 80), mode: str = "RGB", **options: object) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims `width`×`height` pixels: what a decompression bomb looks like to a parser."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(b"\0" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("TIFF", "image/tiff"),
    ("PDF", "application/pdf"),
])
def test_each_accepted_format_is_sniffed_and_decoded(fmt: str, content_type: str) -> None:
    data = _encoded(fmt)
    assert sniff_content_type(data) == content_type
    loaded = load_image(data)
    assert loaded.content_type == content_type
    assert loaded.pixels.ndim == 3 and loaded.pixels.shape[2] == 3
    if fmt != "PDF":
        assert loaded.pixels.shape[:2] == (80, 120)
        red, green, _ = loaded.pixels[40, 60]
        assert red > 150 and green < 80


@pytest.mark.parametrize("data", [b"", b"hello, this is text", b"GIF89a" + b"\0" * 40, b"BM" + b"\0" * 60,
                                  b"<svg xmlns='http://www.w3.org/2000/svg'/>"])
def test_other_content_is_rejected_whatever_its_name(data: bytes) -> None:
    assert sniff_content_type(data) is None
    with pytest.raises(ImageRejected, match="nu este JPEG"):
        load_image(data)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    loaded = load_image(_encoded("JPEG", size=(200, 100), exif=exif.tobytes()))
    assert loaded.pixels.shape[:2] == (200, 100)


def test_decompression_bomb_is_refused() -> None:
    with pytest.raises(ImageRejected, match=r"refuzată|prea mare"):
        load_image(_png_header_only(100_000, 100_000))


def test_image_above_our_pixel_limit_is_refused_before_decoding() -> None:
    data = _png_header_only(8_000, 8_000)
    with pytest.raises(ImageRejected, match="prea mare"):
        load_image(data)
    with pytest.raises(ImageRejected):
        load_image(_encoded("PNG", size=(300, 300)), max_pixels=50_000)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_rejected(fmt: str) -> None:
    data = _encoded(fmt, size=(400, 300))
    with pytest.raises(ImageRejected, match="deteriorat"):
        load_image(data[: len(data) // 2])


def test_damaged_pdf_is_rejected() -> None:
    with pytest.raises(ImageRejected, match="PDF"):
        load_image(b"%PDF-1.7\n" + b"garbage" * 20)


def test_oversized_upload_is_rejected_without_decoding() -> None:
    with pytest.raises(ImageRejected, match="prea mare"):
        load_image(b"\xff\xd8\xff" + bytes(MAX_BYTES))


def test_large_photo_is_capped() -> None:
    loaded = load_image(_encoded("JPEG", size=(4000, 1000)), max_side=1600)
    assert max(loaded.pixels.shape[:2]) == 1600
    assert loaded.original_size == (4000, 1000)


def test_transparency_is_flattened_on_white() -> None:
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert load_image(buffer.getvalue()).pixels.min() == 255


@pytest.mark.skipif(importlib.util.find_spec("pillow_heif") is None, reason="pillow-heif not installed")
def test_heic_photo_is_decoded_when_pillow_heif_is_installed() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    data = _encoded("HEIF", size=(64, 48))
    assert sniff_content_type(data) == "image/heic"
    assert load_image(data).pixels.shape[:2] == (48, 64)
