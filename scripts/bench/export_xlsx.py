"""Report exports at size, side by side: seconds and peak RSS growth of each writer through the real path.

    python scripts/bench/export_xlsx.py [--rows 100000] [--pdf-rows 10000] [--json OUT] [--ledger FILE]

The report is the general journal (Registrul-jurnal, 13 columns: 4 numbers and dates, 7 texts,
2 amounts) of company 1 in a demo ledger made big enough (`roa2web demo --lines-per-month K`,
kept with `--ledger FILE` so a second run reuses it): the months whose lines are the fewest that
reach `--rows`.
Each case runs in a fresh process, exactly as an export job does: the ledger read on an event
loop thread a batch at a time (`Ledger.stream`) while a worker thread writes the file
(`prepare_export` + `ReportExportFiles.write`). RSS is sampled every 5 ms by a thread (psutil);
growth is the peak over the RSS just before the export starts (modules imported, ledger opened).

Cases: XLSX with XlsxWriter in constant-memory mode (what the app uses) and with openpyxl's
write-only mode (the writer it had; scripts/bench/xlsx_openpyxl.py), CSV, PDF (`--pdf-rows`,
fewer: fpdf2 lays out ~35 rows a page and keeps the pages until the file is written, so the app
refuses a PDF of more than PDF_MAX_ROWS), and four
XLSX exports at once on four threads sharing one loop, as the queue's consumer threads run them.
Targets (DESIGN §13): one XLSX ≤ 10 s and ≤ 60 MB peak growth; four at once < 300 MB growth.
Wall seconds on a shared machine vary with its load: CPU seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

MB = 1024 * 1024
CHOSEN = "xlsx (XlsxWriter constant_memory)"
TARGET_S, TARGET_MB, TARGET_FOUR_MB = 10.0, 60.0, 300.0
LINES_PER_MONTH_FOR_COMPANY_1 = 146_849 / 12 / 30_000  # company 1's share of the demo's monthly lines
CASES = {
    CHOSEN: ("xlsx", "xlsxwriter", 1),
    "xlsx (openpyxl write-only)": ("xlsx", "openpyxl", 1),
    "csv": ("csv", "csv", 1),
    "pdf": ("pdf", "pdf", 1),
    "4 x xlsx at once (threads)": ("xlsx", "xlsxwriter", 4),
}


def make_ledger(path: Path, rows: int) -> None:
    """A demo ledger whose company 1 has at least `rows` journal lines in 2025."""
    from roa2web.demo import generate_demo_ledger

    lines_per_month = int(rows / 12 / LINES_PER_MONTH_FOR_COMPANY_1 * 1.1) + 1
    started = time.perf_counter()
    summary = generate_demo_ledger(path, seed=2025, until=(2025, 12), months=12, lines_per_month=lines_per_month)
    print(f"ledger: {summary.line_count:,} journal lines (--lines-per-month {lines_per_month}) "
          f"in {time.perf_counter() - started:.1f} s: {path}", flush=True)


def months_for(path: Path, rows: int) -> tuple[int, int, int]:
    """(month_from, month_to, lines): the months of 2025 whose company-1 lines are the fewest that reach `rows`.

    The whole year when no range does.
    """
    with sqlite3.connect(path) as conn:
        counts = dict(conn.execute("SELECT period_month, COUNT(*) FROM r2w_journal_lines WHERE company_id = 1 "
                                   "AND period_year = 2025 GROUP BY period_month").fetchall())
    ranges = [(sum(counts.get(month, 0) for month in range(first, last + 1)), first, last)
              for first in range(1, 13) for last in range(first, 13)]
    reaching = [found for found in ranges if found[0] >= rows]
    lines, first, last = min(reaching) if reaching else max(ranges)
    return first, last, lines


class PeakRss:
    """Highest RSS of this process seen while the block runs (sampled every 5 ms)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def run_case(ledger_path: Path, fmt: str, writer_name: str, copies: int, months: tuple[int, int],
             out: Path) -> dict[str, Any]:
    """One case in this process: `copies` exports of the journal, each on its own thread; figures."""
    import gc

    from roa2web.exports.service import WRITERS, ReportExportFiles, prepare_export, validate_export
    from roa2web.ledger.embedded import EmbeddedLedger

    if writer_name == "openpyxl":
        from xlsx_openpyxl import write_xlsx as openpyxl_xlsx

        WRITERS["xlsx"] = openpyxl_xlsx
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True, name="loop").start()

    def run(coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    ledger = EmbeddedLedger(ledger_path)
    files = ReportExportFiles(out / "exports", ttl_hours=1)
    params = {"company_id": 1, "year": 2025, "month_from": months[0], "month_to": months[1]}
    export = validate_export("journal", fmt, params)
    run(ledger.fetch("companies.all"))  # the ledger's threads and connection, as a running app has them
    progress: list[list[int]] = [[] for _ in range(copies)]
    written: list[Path] = []

    def one(index: int) -> None:
        prepared = run(prepare_export(ledger, export, now=dt.datetime.now(dt.UTC), run=run))
        ref = files.write(f"job{index}", export, prepared, lambda done, _total: progress[index].append(done))
        written.append(files.resolve(ref) or Path())

    gc.collect()
    with PeakRss() as rss:
        started, cpu = time.perf_counter(), time.process_time()
        threads = [threading.Thread(target=one, args=(index,)) for index in range(copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    run(ledger.close())
    loop.call_soon_threadsafe(loop.stop)
    rows = [done[-1] if done else 0 for done in progress]
    return {"rows": rows[0], "all_rows": rows, "copies": copies, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2), "rss_growth_mb": round((rss.peak - rss.start) / MB, 1),
            "rss_start_mb": round(rss.start / MB, 1), "file_mb": round(sum(p.stat().st_size for p in written) / MB, 2),
            "progress_increasing": all(done == sorted(set(done)) for done in progress)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="journal lines to export (at least)")
    parser.add_argument("--pdf-rows", type=int, default=10_000, help="journal lines in the PDF case")
    parser.add_argument("--ledger", type=Path, help="demo ledger to use, made if missing")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in a child process
    parser.add_argument("--month-from", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--month-to", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        fmt, writer_name, copies = CASES[args.case]
        print(json.dumps(run_case(args.ledger, fmt, writer_name, copies, (args.month_from, args.month_to), args.out)))
        return

    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        ledger = args.ledger or Path(tmp) / "ledger.sqlite"
        if not ledger.exists() or months_for(ledger, args.rows)[2] < args.rows:
            make_ledger(ledger, args.rows)
        figures: dict[str, Any] = {}
        for name, (fmt, _writer, _copies) in CASES.items():
            month_from, month_to, lines = months_for(ledger, args.pdf_rows if fmt == "pdf" else args.rows)
            done = subprocess.run(
                [sys.executable, __file__, "--case", name, "--ledger", str(ledger), "--month-from", str(month_from),
                 "--month-to", str(month_to),
                 "--out", str(Path(tmp) / f"case{len(figures)}")],
                capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed:\n{done.stdout}\n{done.stderr}")
            figures[name] = {**json.loads(done.stdout.strip().splitlines()[-1]), "expected_rows": lines,
                             "chosen": name == CHOSEN}
            print_case(name, figures[name])
        verdict = summary(figures)
        if args.json:
            args.json.write_text(json.dumps({"cases": figures, **verdict}, indent=2), encoding="utf-8")


def print_case(name: str, row: dict[str, Any]) -> None:
    """One line of the side-by-side table."""
    mark = "  <- chosen" if row["chosen"] else ""
    rate = row["rows"] * row["copies"] / max(row["seconds"], 1e-9)
    print(f"{name:<36} {row['rows']:>8,} rows x 13 cols x{row['copies']}  {row['seconds']:>6.2f} s "
          f"(cpu {row['cpu_seconds']:>6.2f} s, {rate:>7,.0f} rows/s)  peak RSS growth {row['rss_growth_mb']:>6.1f} MB"
          f"  file {row['file_mb']:>6.2f} MB{mark}", flush=True)


def summary(figures: dict[str, Any]) -> dict[str, Any]:
    """Print and return the targets' verdicts."""
    one, four = figures[CHOSEN], figures["4 x xlsx at once (threads)"]
    fastest = min((row["cpu_seconds"], name) for name, row in figures.items() if name.startswith("xlsx"))[1]
    verdict = {
        "xlsx_seconds_ok": one["seconds"] <= TARGET_S,
        "xlsx_rss_ok": one["rss_growth_mb"] <= TARGET_MB,
        "four_rss_ok": four["rss_growth_mb"] < TARGET_FOUR_MB,
        "fastest_xlsx_writer": fastest,
    }
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"
    verdict["load_average"] = load
    print(f"machine: {os.cpu_count()} cores, load average {load} while measuring (wall seconds grow with it; "
          "CPU seconds much less)")
    print(f"targets: one XLSX {one['seconds']:.2f} s (<= {TARGET_S:.0f} s: {verdict['xlsx_seconds_ok']}), "
          f"{one['rss_growth_mb']:.1f} MB (<= {TARGET_MB:.0f} MB: {verdict['xlsx_rss_ok']}); four at once "
          f"{four['rss_growth_mb']:.1f} MB (< {TARGET_FOUR_MB:.0f} MB: {verdict['four_rss_ok']}); "
          f"fastest XLSX writer by CPU: {fastest}")
    return verdict


if __name__ == "__main__":
    main()
