"""The classic receipt OCR benchmark, on the original generator (tests/support/receipt_images.py).

Run from the repository root:  python -m scripts.bench.ocr_bench --classic [--count 50] [--threads 2]
Clean, degraded and hard sets, each read with and without the arithmetic repair (OCR runs once per
image). The honest figures, on the varied generator's split, come from scripts/bench/ocr_bench.py.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import statistics
import sys
from collections import defaultdict
from time import perf_counter, process_time

import numpy as np

from roa2web.data_entry.ocr.engine import OcrEngine, TextBox
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from scripts.bench.ocr_memory_figures import peak_rss_mb, reset_peak_rss, rss_mb
from tests.support.receipt_images import KINDS, receipt_set
from tests.support.receipt_scoring import KEY_FIELDS, field_matches, mismatches

REPORTED = (*KEY_FIELDS, "all_four", "supplier_name", "receipt_number", "time", "payment_method", "buyer_cif")


class ReplayEngine:
    """Runs the real engine once per distinct image and replays its boxes on the second read."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self._seen: dict[str, list[TextBox]] = {}

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        key = hashlib.blake2b(image.tobytes(), digest_size=16).hexdigest()
        if key not in self._seen:
            self._seen[key] = self.engine.recognize(image)
        return self._seen[key]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50, help="receipts per set")
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    parser.add_argument("--det-side", type=int, default=960, help="detector limit side length")
    parser.add_argument("--det-type", default="max", choices=("max", "min"))
    parser.add_argument("--sets", default=",".join(KINDS))
    parser.add_argument("--show-errors", action="store_true", help="print every wrong key field")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])

    kinds = args.sets.split(",")
    samples = {kind: receipt_set(kind, args.count, first_seed=10_000) for kind in kinds}
    gc.collect()
    reset = reset_peak_rss()
    rss_before = rss_mb()
    started = perf_counter()
    engine = ReplayEngine(RapidOcrEngine(threads=args.threads, det_limit_side_len=args.det_side,
                                         det_limit_type=args.det_type))
    load_seconds = perf_counter() - started
    print(f"engine rapidocr PP-OCRv6 small, threads={args.threads}, det {args.det_type} {args.det_side}; "
          f"cores usable: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}")
    print(f"model load + warm-up: {load_seconds:.2f} s")

    photo_latencies: list[float] = []
    for kind in kinds:
        latencies: list[float] = []
        cpu_seconds: list[float] = []
        scores: dict[bool, defaultdict[str, int]] = {True: defaultdict(int), False: defaultdict(int)}
        for sample in samples[kind]:
            began, began_cpu = perf_counter(), process_time()
            reading = read_receipt(sample.data, engine, repair=True)
            latencies.append(perf_counter() - began)
            cpu_seconds.append(process_time() - began_cpu)
            plain = read_receipt(sample.data, engine, repair=False)
            for repaired, result in ((True, reading), (False, plain)):
                for name, right in field_matches(result, sample.truth).items():
                    scores[repaired][name] += right
            if args.show_errors and not field_matches(reading, sample.truth)["all_four"]:
                print(f"  {kind} seed={sample.seed} {sample.truth.layout}: {mismatches(reading, sample.truth)}")
        if kind != "clean":
            photo_latencies += latencies
        latencies.sort()
        p90 = latencies[min(len(latencies) - 1, int(0.9 * len(latencies)))]
        print(f"\n[{kind}] {len(latencies)} images: median {statistics.median(latencies):.3f} s, p90 {p90:.3f} s "
              f"(CPU per image: median {statistics.median(cpu_seconds):.3f} s)")
        for repaired in (False, True):
            figures = "  ".join(f"{name} {100 * scores[repaired][name] / len(latencies):.0f}%" for name in REPORTED)
            print(f"  {'with repair   ' if repaired else 'without repair'}: {figures}")
    if photo_latencies:
        photo_latencies.sort()
        print(f"\nall photos (degraded + hard): median {statistics.median(photo_latencies):.3f} s, "
              f"p90 {photo_latencies[int(0.9 * len(photo_latencies))]:.3f} s")
    print(f"load average now: {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "")
    scope = "while loading and reading" if reset else "whole run, including generating the images"
    print(f"peak RSS {scope}: {peak_rss_mb():.0f} MB (RSS before loading the engine: {rss_before:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
