"""Other PP-OCR models against the bundled ones, on the same photos, side by side.

Run from the repository root:
    python -m scripts.bench.ocr_models --rec REC.onnx [--keys KEYS.txt] [--det DET.onnx] [--count 60]
Reads the same tuning photos (default: hard) with the bundled PP-OCRv6 small models and with the files given
(what is not given stays bundled), through the whole pipeline, and prints for each how many photos read all
four key fields, how many both read, how many only one of them reads, and the median seconds per photo. A
model worth a second pass reads photos the bundled one misses: "only the other" says how many.
`--keys`: the recogniser's characters, one per line, when its ONNX file does not carry them (PP-OCRv5 files
exported by others often do not). Only tuning photos: this is for choosing, so it never reads held-aside ones.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from time import perf_counter

from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import ModelFiles, RapidOcrEngine
from tests.support.receipt_scoring import field_matches
from tests.support.receipts.sets import LEVELS, VariedSample, varied_set


@dataclass(frozen=True)
class EngineRun:
    """Which photos (by seed) one engine read all four key fields of, and its seconds per photo."""

    right: frozenset[int]
    seconds: tuple[float, ...]


def run(engine: RapidOcrEngine, samples: list[VariedSample]) -> EngineRun:
    """Read every sample through the whole pipeline."""
    right, seconds = set(), []
    for sample in samples:
        started = perf_counter()
        reading = read_receipt(sample.data, engine)
        seconds.append(perf_counter() - started)
        if field_matches(reading, sample.truth)["all_four"]:
            right.add(sample.seed)
    return EngineRun(frozenset(right), tuple(seconds))


def other_models(rec: Path | None, keys: Path | None, det: Path | None) -> ModelFiles:
    """The bundled files with the ones given in their place."""
    bundled = ModelFiles.bundled()
    return replace(bundled, rec=rec or bundled.rec, rec_keys=keys, det=det or bundled.det)


def report(count: int, bundled: EngineRun, other: EngineRun) -> list[str]:
    """The side-by-side lines."""
    def line(name: str, result: EngineRun) -> str:
        return (f"{name:8s} all four on {len(result.right)} of {count}, "
                f"median {statistics.median(result.seconds):.2f} s per photo")

    return [
        line("bundled", bundled),
        line("other", other),
        f"both {len(bundled.right & other.right)}, only bundled {len(bundled.right - other.right)}, "
        f"only the other {len(other.right - bundled.right)}: either {len(bundled.right | other.right)} of {count}",
        f"only the other (seeds): {sorted(other.right - bundled.right)}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Read the photos with both sets of models and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rec", type=Path, help="recognition model (ONNX); default: the bundled one")
    parser.add_argument("--keys", type=Path, help="the recogniser's character list, when its ONNX file lacks it")
    parser.add_argument("--det", type=Path, help="detection model (ONNX); default: the bundled one")
    parser.add_argument("--count", type=int, default=60, help="tuning photos per level")
    parser.add_argument("--start", type=int, default=0, help="from the tuning split's START-th seed")
    parser.add_argument("--levels", default="hard", help=f"comma-separated, of {','.join(LEVELS)}")
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    args = parser.parse_args(argv)
    if args.rec is None and args.det is None:
        parser.error("give --rec, --det or both: the models to compare with the bundled ones")
    bundled_engine = RapidOcrEngine(threads=args.threads)
    other_engine = RapidOcrEngine(threads=args.threads, models=other_models(args.rec, args.keys, args.det))
    for level in args.levels.split(","):
        samples = varied_set("tuning", level, args.count, args.start)
        print(f"[tuning / {level}] n={len(samples)}")
        for text in report(len(samples), run(bundled_engine, samples), run(other_engine, samples)):
            print("    " + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
