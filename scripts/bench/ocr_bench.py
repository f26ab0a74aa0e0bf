"""Receipt OCR benchmark on the varied generator: per split (tuning, held-aside) and level (clean, degraded, hard).

Run from the repository root:  python -m scripts.bench.ocr_bench [--count 20] [--threads 2] [--json OUT]
For each split and level: all-four-fields rate (supplier CIF, date, total, VAT), each field's rate, the
wrong-but-confident rate (fields filled with confidence >= 0.9 that are wrong, over all scored fields, and
the share of confident fields that are wrong), median / p90 seconds per photo (and median CPU seconds, which
load from other processes does not inflate), how many photos got the advice to be taken again (fill.retake_hint)
among those misread and those read right; then the process's peak RSS, and per split the reliability of
the confidences: for each confidence band, how many fields were filled with it and the share of them right
(calibrated, a band's share right is at least its lower bound).
The seed split is tests/support/receipts/sets.py's: tune on "tuning" only, report "held_aside".
`--classic` runs the older benchmark on the original generator (scripts/bench/ocr_bench_classic.py).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from roa2web.data_entry.ocr.fill import retake_hint
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from scripts.bench.ocr_memory_figures import peak_rss_mb, reset_peak_rss, rss_mb
from tests.support.receipt_scoring import field_matches, mismatches
from tests.support.receipts.scoring import READING_NAME, SCORED_FIELDS, confident_count, confident_wrong
from tests.support.receipts.sets import LEVELS, SPLITS, VariedSample, varied_set

BANDS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)  # lowest confidence of each reliability band


def band_of(confidence: float) -> float:
    """The reliability band a confidence falls in (its lowest confidence)."""
    return max(lowest for lowest in BANDS if confidence >= lowest)


def score_group(samples: list[VariedSample], engine: RapidOcrEngine, show_errors: bool) -> dict[str, Any]:
    """Read every sample once; the group's figures."""
    reliability = {str(lowest): [0, 0] for lowest in BANDS}  # band → [fields filled, right]
    latencies: list[float] = []
    cpu_seconds: list[float] = []
    right = dict.fromkeys(("all_four", *SCORED_FIELDS), 0)
    confident = wrong_confident = 0
    retake = {True: 0, False: 0}  # read right (all four) → photos advised to be taken again
    misses = []
    for sample in samples:
        began, began_cpu = perf_counter(), process_time()
        reading = read_receipt(sample.data, engine)
        latencies.append(perf_counter() - began)
        cpu_seconds.append(process_time() - began_cpu)
        matches = field_matches(reading, sample.truth)
        for name in right:
            right[name] += matches[name]
        retake[matches["all_four"]] += retake_hint(reading) is not None
        for name in SCORED_FIELDS:
            field = reading.fields.get(READING_NAME.get(name, name))
            if field is not None and field.value is not None:
                band = reliability[str(band_of(field.confidence))]
                band[0] += 1
                band[1] += matches[name]
        confident += confident_count(reading)
        wrong = confident_wrong(reading, sample.truth)
        wrong_confident += len(wrong)
        if not matches["all_four"] or wrong:
            misses.append({"seed": sample.seed, "font": sample.font, "paper": sample.paper,
                           "degradations": list(sample.degradations), "confident_wrong": wrong,
                           "wrong": {key: [repr(read), repr(expected)]
                                     for key, (read, expected) in mismatches(reading, sample.truth).items()}})
            if show_errors:
                print(f"    seed={sample.seed} {sample.font} {sample.paper} {','.join(sample.degradations)}: "
                      f"{mismatches(reading, sample.truth)} confident-wrong={wrong}")
    count = len(samples)
    latencies.sort()
    return {
        "count": count,
        "rates": {name: right[name] / count for name in right},
        "wrong_confident_rate": wrong_confident / (count * len(SCORED_FIELDS)),
        "wrong_share_of_confident": wrong_confident / confident if confident else 0.0,
        "median_s": statistics.median(latencies),
        "p90_s": latencies[min(count - 1, int(0.9 * count))],
        "cpu_median_s": statistics.median(cpu_seconds),
        "reliability": reliability,
        "retake_advised": {"read_right": retake[True], "misread": retake[False],
                           "misread_count": count - right["all_four"]},
        "misses": misses,
    }


def print_group(split: str, level: str, figures: dict[str, Any]) -> None:
    """One line of headline figures and one of per-field rates."""
    rates = figures["rates"]
    print(f"[{split} / {level}] n={figures['count']}: all four {100 * rates['all_four']:.0f}%, "
          f"wrong-but-confident {100 * figures['wrong_confident_rate']:.1f}% of fields "
          f"({100 * figures['wrong_share_of_confident']:.1f}% of confident ones), "
          f"median {figures['median_s']:.2f} s, p90 {figures['p90_s']:.2f} s (CPU {figures['cpu_median_s']:.2f} s)")
    print("    " + "  ".join(f"{name} {100 * rates[name]:.0f}%" for name in SCORED_FIELDS))
    advised = figures["retake_advised"]
    print(f"    advised to take the photo again: {advised['misread']} of {advised['misread_count']} misread, "
          f"{advised['read_right']} of {figures['count'] - advised['misread_count']} read right")


def print_reliability(groups: dict[str, dict[str, Any]]) -> None:
    """Per split, the fields filled in each confidence band and the share of them right (all levels)."""
    for split in dict.fromkeys(name.split("/")[0] for name in groups):
        totals = {str(lowest): [0, 0] for lowest in BANDS}
        for name, figures in groups.items():
            if name.startswith(f"{split}/"):
                for band, (count, right) in figures["reliability"].items():
                    totals[band][0] += count
                    totals[band][1] += right
        bands = [(float(band), count, right) for band, (count, right) in totals.items()]
        print(f"reliability [{split}]: confidence band: fields filled, share right")
        for index, (lowest, count, right) in enumerate(bands):
            highest = bands[index + 1][0] if index + 1 < len(bands) else 1.0
            share = f"{100 * right / count:.1f}%" if count else "-"
            print(f"    [{lowest:.2f}, {highest:.2f}{']' if highest == 1.0 else ')'}: {count:4d}  {share}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20, help="receipts per level per split")
    parser.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    parser.add_argument("--splits", default=",".join(SPLITS), help="comma-separated: tuning,held_aside")
    parser.add_argument("--levels", default=",".join(LEVELS), help="comma-separated: clean,degraded,hard")
    parser.add_argument("--quick", action="store_true", help="one receipt per level per split (a smoke run)")
    parser.add_argument("--json", type=Path, help="also write the figures (and every miss) to this file")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong field")
    parser.add_argument("--classic", action="store_true",
                        help="the older benchmark on the original generator; the other options are then its own")
    argv = sys.argv[1:] if argv is None else argv
    if "--classic" in argv:
        from scripts.bench.ocr_bench_classic import main as classic_main

        return classic_main([arg for arg in argv if arg != "--classic"])
    args = parser.parse_args(argv)
    count = 1 if args.quick else args.count
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    splits, levels = args.splits.split(","), args.levels.split(",")
    samples = {(split, level): varied_set(split, level, count) for split in splits for level in levels}
    gc.collect()
    reset = reset_peak_rss()
    rss_before = rss_mb()
    started = perf_counter()
    engine = RapidOcrEngine(threads=args.threads)
    load_seconds = perf_counter() - started
    print(f"engine rapidocr, threads={args.threads}; model load + warm-up {load_seconds:.2f} s; {count} per group")
    groups: dict[str, dict[str, Any]] = {}
    for (split, level), group in samples.items():
        figures = score_group(group, engine, args.show_errors)
        groups[f"{split}/{level}"] = figures
        print_group(split, level, figures)
    print_reliability(groups)
    peak = peak_rss_mb()
    scope = "while loading and reading" if reset else "whole run, including generating the images"
    print(f"peak RSS {scope}: {peak:.0f} MB (RSS before loading the engine: {rss_before:.0f} MB)")
    if args.json:
        result = {"count": count, "threads": args.threads, "load_s": load_seconds, "peak_rss_mb": peak,
                  "peak_rss_scope": scope, "groups": groups}
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
