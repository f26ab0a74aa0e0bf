"""Images in odd modes and images built to cost memory: read like any receipt, or refused from their header.

16-bit PNGs, float TIFFs, CMYK JPEGs and palette PNGs with transparency are read by the real engine
like the plain receipt. A large one is converted band by band: the numpy memory of the whole load
stays a few tens of MB (traced, so deterministic) and the engine gets at most MAX_SIDE pixels a side.
Tiny files claiming huge sizes, images above the pixel limit and PNGs with compressed-chunk bombs are
refused before any pixel is decoded.
"""

from __future__ import annotations

import importlib.util
import io
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from roa2web.data_entry.ocr.errors import ImageRejected
from roa2web.data_entry.ocr.images import MAX_SIDE, load_image
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.working_image import BAND_PIXELS
from tests.support.hostile_images import MODES, deflate_bomb, png_header_bomb, png_with_chunk, receipt_in, wide_canvas
from tests.support.receipt_scoring import field_matches
from tests.support.upload_files import png_bomb

# numpy memory one load may trace: the 2400² RGB result (17 MB) and a float band or two (8 MB each);
# converting a 9 MP 16-bit or float image whole, in float64, traced over 200 MB
TRACED_LIMIT = 48 * 2**20


@pytest.mark.parametrize("mode", MODES)
def test_a_receipt_in_an_odd_mode_reads_like_the_plain_one(ocr_engine, mode):
    data, truth = receipt_in(mode, seed=3)
    loaded = load_image(data)
    assert loaded.pixels.dtype.name == "uint8" and loaded.pixels.shape[2] == 3
    assert loaded.pixels[:, :, 0].max() > 200 and loaded.pixels[:, :, 0].min() < 80  # paper and ink kept
    reading = read_receipt(data, ocr_engine)
    matches = field_matches(reading, truth)
    assert matches["all_four"] and matches["supplier_name"], (mode, matches)


def test_transparent_palette_margins_come_out_white():
    data, _ = receipt_in("palette_png", seed=3)
    pixels = load_image(data).pixels
    assert pixels[:40, :40].min() == 255 and pixels[-40:, -40:].min() == 255  # index 255 is black, but transparent


@pytest.mark.parametrize("mode", MODES)
def test_a_large_image_in_any_mode_is_converted_in_bounded_memory(mode):
    side = 3000
    data = wide_canvas(mode, side)
    assert len(data) < 2_000_000  # a few hundred kB claiming 9 MP
    tracemalloc.start()
    try:
        loaded = load_image(data)
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert min(loaded.original_size) >= side  # (the palette PNG adds transparent margins)
    assert loaded.pixels.shape == (MAX_SIDE, MAX_SIDE, 3) and loaded.pixels.dtype.name == "uint8"
    assert loaded.pixels.min() < 100  # the receipt in the corner survived the conversion
    assert traced_peak < TRACED_LIMIT, f"{mode}: {traced_peak / 2**20:.0f} MB traced"


def test_deep_greys_are_stretched_between_the_whole_images_extremes_not_each_bands():
    values = np.full((2400, 2000), 1000, np.uint16)
    values[1200:] = 65_000  # the two halves fall in different bands (BAND_PIXELS)
    assert BAND_PIXELS < 2000 * 1200
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="PNG")
    pixels = load_image(buffer.getvalue(), max_side=2400).pixels  # full size: no reduction
    assert pixels.shape == (2400, 2000, 3)
    assert pixels[:1200].max() == 0 and pixels[1200:].min() == 255


@pytest.mark.parametrize("data", [
    png_bomb(30_000, 30_000),  # 900 MP in a few kB: Pillow's own bomb limit
    png_header_bomb(7000, 7000, bit_depth=16),  # the attack run's 16-bit 49 MP, as a header
    png_header_bomb(50_000, 1000, bit_depth=8),
], ids=["900MP", "16bit-49MP", "50MP-strip"])
def test_tiny_files_claiming_huge_sizes_are_refused_from_their_header(data):
    assert len(data) < 100_000
    with pytest.raises(ImageRejected, match=r"prea mare|periculoasă"):
        load_image(data)


def test_the_pixel_limit_applies_to_every_mode():
    for mode in MODES:
        data, _ = receipt_in(mode, seed=3)
        with pytest.raises(ImageRejected, match="prea mare"):
            load_image(data, max_pixels=200_000)


@pytest.mark.parametrize("kind", [b"iCCP", b"zTXt"])
def test_png_with_a_compressed_chunk_bomb_is_refused(kind):
    payload = b"profile\x00\x00" + deflate_bomb(64 * 2**20)  # 64 MB of zeros in ~64 kB
    data = png_with_chunk(kind, payload)
    assert len(data) < 200_000
    with pytest.raises(ImageRejected, match="deteriorat"):
        load_image(data)


@pytest.mark.skipif(importlib.util.find_spec("pillow_heif") is None, reason="pillow-heif not installed")
def test_heic_gets_the_same_header_checks():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (250, 250, 245)).save(buffer, format="HEIF")
    assert load_image(buffer.getvalue()).pixels.shape == (480, 640, 3)
    with pytest.raises(ImageRejected, match="prea mare"):
        load_image(buffer.getvalue(), max_pixels=300_000)
