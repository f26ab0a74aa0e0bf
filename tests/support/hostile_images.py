"""Receipt images in the modes an attacker (or an odd scanner) sends, and images built to cost memory.

`receipt_in(mode, seed)` prints a generated receipt (tests/support/receipt_images.py) and encodes it
as a 16-bit PNG, a float TIFF, a CMYK JPEG or a palette PNG with transparent margins: each should
read like the plain receipt. `wide_canvas(mode, side)` is the memory attack: a side×side image
of that mode, almost all one value (so it compresses to a few hundred kB), the receipt in a corner.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

from tests.support.receipt_content import ReceiptTruth, make_receipt
from tests.support.receipt_images import render_receipt

MODES = ("png16", "float_tiff", "cmyk_jpeg", "palette_png")
_MARGIN = 60


def receipt_paper(seed: int) -> tuple[Image.Image, ReceiptTruth]:
    """The printed receipt for `seed` as an 8-bit grey image, and its truth."""
    truth, lines = make_receipt(seed)
    return render_receipt(lines, font_size=26, seed=seed).convert("L"), truth


def encode(grey: Image.Image, mode: str) -> bytes:
    """An 8-bit grey picture encoded in one of MODES (same picture, another depth or colour model)."""
    buffer = io.BytesIO()
    if mode == "png16":
        Image.fromarray(np.asarray(grey).astype(np.uint16) * 257).save(buffer, format="PNG")
    elif mode == "float_tiff":
        Image.fromarray(np.asarray(grey).astype(np.float32) / 255).save(
            buffer, format="TIFF", compression="tiff_deflate")
    elif mode == "cmyk_jpeg":
        grey.convert("RGB").convert("CMYK").save(buffer, format="JPEG", quality=92)
    elif mode == "palette_png":
        # indexes 0..254 are those greys; 255 is black and transparent: the margins must come out white
        canvas = np.full((grey.height + 2 * _MARGIN, grey.width + 2 * _MARGIN), 255, np.uint8)
        canvas[_MARGIN:-_MARGIN, _MARGIN:-_MARGIN] = np.minimum(np.asarray(grey), 254)
        image = Image.frombytes("P", (canvas.shape[1], canvas.shape[0]), canvas.tobytes())
        image.putpalette([value for grey_level in range(255) for value in (grey_level,) * 3] + [0, 0, 0])
        image.save(buffer, format="PNG", transparency=255)
    else:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    return buffer.getvalue()


def receipt_in(mode: str, seed: int) -> tuple[bytes, ReceiptTruth]:
    """The receipt for `seed` encoded as `mode`, and what reading it should give."""
    paper, truth = receipt_paper(seed)
    return encode(paper, mode), truth


def wide_canvas(mode: str, side: int, seed: int = 0) -> bytes:
    """A side×side image in `mode`, blank but for the receipt in its top-left corner: few bytes, many pixels."""
    paper, _ = receipt_paper(seed)
    canvas = Image.new("L", (side, side), 250)
    canvas.paste(paper, (0, 0))
    return encode(canvas, mode)


def png_header_bomb(width: int, height: int, bit_depth: int = 16) -> bytes:
    """A PNG of a few hundred bytes whose header claims width × height grey pixels of `bit_depth` bits."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(4096)))
            + _chunk(b"IEND", b""))


def png_with_chunk(kind: bytes, payload: bytes, size: tuple[int, int] = (32, 32)) -> bytes:
    """A small valid grey PNG carrying one extra ancillary chunk (iCCP, zTXt...) before its pixels."""
    width, height = size
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xc8" * width for _ in range(height)))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(kind, payload) + _chunk(b"IDAT", pixels)
            + _chunk(b"IEND", b""))


def _chunk(name: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))


def deflate_bomb(size: int) -> bytes:
    """`size` zero bytes, deflated (about a thousandth of that)."""
    compressor = zlib.compressobj(9)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + compressor.compress(bytes(size & ((1 << 20) - 1))) + compressor.flush()
