"""XLSX export of a large report: seconds and peak RSS growth while writing.

    python scripts/bench/export_xlsx.py [--rows 100000] [--pdf-rows 0]

The document has the trial balance's 13 columns (3 text, 10 money, as Decimal) and `--rows` rows,
built first as a report result would be (in memory), then written with `write_xlsx` in openpyxl's
write-only mode. RSS is sampled every 5 ms by a thread (psutil). Target (DESIGN §13): < 150 MB of
RSS growth for 100,000 rows. `--pdf-rows N` also times a PDF of the first N rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import psutil

from roa2web.exports.document import ExportColumn, ExportDocument
from roa2web.exports.pdf import write_pdf
from roa2web.exports.xlsx import write_xlsx
from roa2web.reports.columns import TRIAL_BALANCE

MB = 1024 * 1024


class PeakRss:
    """Highest RSS seen while the block runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
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


def document(rows: int) -> ExportDocument:
    """A trial-balance-shaped document of `rows` analytic accounts."""
    rng = random.Random(7)
    body = []
    for index in range(rows):
        amounts = [Decimal(rng.randrange(0, 50_000_000)).scaleb(-2) for _ in range(10)]
        body.append([f"{401 + index % 500}.{index:06d}", f"Partener analitic {index} SRL — furnizor",
                     "P", *amounts])
    totals = [None, None, None, *(sum((row[3 + i] for row in body), Decimal("0.00")) for i in range(10))]
    return ExportDocument(
        title="Balanța de verificare", company="ALFA COMERT SRL", company_cif="RO28461357",
        period="Perioada: ianuarie 2025 – decembrie 2025", generated_at=dt.datetime.now(dt.UTC),
        facts=[("Nivel", "analitică")], columns=[ExportColumn(c.label, c.kind) for c in TRIAL_BALANCE],
        rows=body, totals=totals,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pdf-rows", type=int, default=0)
    args = parser.parse_args()
    process = psutil.Process()
    baseline = process.memory_info().rss
    built = time.perf_counter()
    doc = document(args.rows)
    built = time.perf_counter() - built
    before_write = process.memory_info().rss
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "balanta.xlsx"
        with PeakRss() as peak:
            started = time.perf_counter()
            write_xlsx(doc, path, lambda done, total: None)
            elapsed = time.perf_counter() - started
        size = path.stat().st_size
        print(f"xlsx: {args.rows} rows × {len(doc.columns)} columns in {elapsed:.2f} s "
              f"({args.rows / elapsed:,.0f} rows/s), file {size / MB:.1f} MB")
        print(f"xlsx: peak RSS growth while writing {(peak.peak - before_write) / MB:.1f} MB "
              f"(target < 150 MB); the rows themselves took {(before_write - baseline) / MB:.1f} MB "
              f"and {built:.2f} s to build")
        if args.pdf_rows:
            small = ExportDocument(**{**doc.__dict__, "rows": doc.rows[: args.pdf_rows]})
            before_pdf = process.memory_info().rss
            with PeakRss() as peak:
                started = time.perf_counter()
                write_pdf(small, Path(tmp) / "balanta.pdf", lambda done, total: None)
                elapsed = time.perf_counter() - started
            print(f"pdf:  {args.pdf_rows} rows in {elapsed:.2f} s, "
                  f"peak RSS growth {(peak.peak - before_pdf) / MB:.1f} MB, "
                  f"file {(Path(tmp) / 'balanta.pdf').stat().st_size / MB:.1f} MB")


if __name__ == "__main__":
    main()
