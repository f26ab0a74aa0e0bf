"""OCR memory: RSS before, at peak and after each reading, for normal photos and for attack images.

Run from the repository root:  python -m scripts.bench.ocr_memory [--keep-memory] [--threads 2]
One process, the real OcrService (its own thread, as in the server) and the real engine, on
generated images: receipt photos (JPEG, PNG), then the attacks of issue 11 (a 49 MP 16-bit PNG of
~110 kB, a 49 MP float TIFF of ~310 kB), the same modes just under the 40 MP limit with a receipt
in a corner, a CMYK JPEG, a palette PNG with transparency, and a 900 MP PNG bomb of a few kB.
`--keep-memory` runs the service without returning freed memory after each reading (to measure
what that gives). Peaks are the kernel's VmHWM, reset before each reading (Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import io
import sys
from collections.abc import Callable
from time import perf_counter
from typing import Any

import numpy as np
from PIL import Image

from roa2web.data_entry.ocr.errors import ImageRejected
from roa2web.data_entry.ocr.service import OcrService
from scripts.bench.ocr_memory_figures import peak_rss_mb, reset_peak_rss, rss_mb
from tests.support.hostile_images import wide_canvas
from tests.support.receipt_images import receipt_sample
from tests.support.upload_files import png_bomb

ATTACK_SIDE = 7000  # 49 MP: the attack run's images
NEAR_LIMIT_SIDE = 6200  # 38.4 MP (39.9 with the palette PNG's margins): under the 40 MP default, converted


def blank(mode: str, side: int) -> bytes:
    """A side×side image of one value in `mode` (what the attack run sent): a few hundred kB."""
    buffer = io.BytesIO()
    if mode == "png16":
        Image.fromarray(np.full((side, side), 60_000, np.uint16)).save(buffer, format="PNG", optimize=True)
    else:
        Image.fromarray(np.full((side, side), 0.5, np.float32)).save(buffer, format="TIFF",
                                                                      compression="tiff_deflate")
    return buffer.getvalue()


def images() -> list[tuple[str, bytes]]:
    """What to read, in order, encoded (a few MB in all)."""
    builders: list[tuple[str, Callable[[], bytes]]] = [
        ("photo JPEG (seed 1)", lambda: receipt_sample(1, "degraded").data),
        ("photo JPEG (seed 2)", lambda: receipt_sample(2, "degraded").data),
        ("clean PNG (seed 3)", lambda: receipt_sample(3, "clean").data),
        (f"16-bit PNG {ATTACK_SIDE}² blank", lambda: blank("png16", ATTACK_SIDE)),
        (f"float TIFF {ATTACK_SIDE}² blank", lambda: blank("float_tiff", ATTACK_SIDE)),
        (f"16-bit PNG {NEAR_LIMIT_SIDE}²", lambda: wide_canvas("png16", NEAR_LIMIT_SIDE)),
        (f"float TIFF {NEAR_LIMIT_SIDE}²", lambda: wide_canvas("float_tiff", NEAR_LIMIT_SIDE)),
        (f"CMYK JPEG {NEAR_LIMIT_SIDE}²", lambda: wide_canvas("cmyk_jpeg", NEAR_LIMIT_SIDE)),
        (f"palette PNG {NEAR_LIMIT_SIDE}²", lambda: wide_canvas("palette_png", NEAR_LIMIT_SIDE)),
        ("PNG bomb 30000²", lambda: png_bomb(30_000, 30_000)),
        ("photo JPEG (seed 1) again", lambda: receipt_sample(1, "degraded").data),
    ]
    return [(name, build()) for name, build in builders]


def trim_generation_garbage() -> None:
    """Hand back the heap freed while generating the images (glibc), so every run starts alike."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


async def run(service: OcrService, samples: list[tuple[str, bytes]]) -> None:
    """Read every sample once with `service`, printing RSS before, peak and after each."""
    started = perf_counter()
    ready = await service.wait_ready()
    if not ready:
        raise SystemExit(f"the OCR engine did not load: {service.status()['error']}")
    gc.collect()
    loaded = rss_mb()
    print(f"engine loaded in {perf_counter() - started:.1f} s; RSS {loaded:.0f} MB\n")
    print(f"{'image':<28} {'kB':>7} {'before':>7} {'peak':>7} {'after':>7}  outcome")
    for name, data in samples:
        size_kb = len(data) / 1024
        reset_peak_rss()
        before = rss_mb()
        began = perf_counter()
        try:
            reading = await service.read(data)
            outcome = f"read, {len(reading.lines)} lines"
        except ImageRejected as error:
            outcome = f"refused: {str(error)[:60]}"
        seconds = perf_counter() - began
        gc.collect()
        print(f"{name:<28} {size_kb:>7.0f} {before:>7.0f} {peak_rss_mb():>7.0f} {rss_mb():>7.0f}  "
              f"{outcome} ({seconds:.1f} s)")
    print(f"\nRSS at the end: {rss_mb():.0f} MB (after loading the engine: {loaded:.0f} MB)")


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    parser.add_argument("--keep-memory", action="store_true",
                        help="do not return freed memory after each reading (OcrService(return_memory=False))")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"return_memory": False} if args.keep_memory else {}
    samples = images()
    gc.collect()
    trim_generation_garbage()
    service = OcrService("rapidocr", threads=args.threads, **options)
    step = getattr(service, "return_memory", None)
    print(f"OCR memory, rapidocr, {args.threads} threads, memory returned after each reading: "
          f"{'n/a (this version has no such step)' if step is None else step}; "
          f"{len(samples)} images generated, RSS {rss_mb():.0f} MB")
    try:
        asyncio.run(run(service, samples))
    finally:
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
