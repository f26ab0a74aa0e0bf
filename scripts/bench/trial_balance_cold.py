"""Benchmark: trial balance, cold, on a demo ledger of about 1,000,000 journal lines (target < 2 s).

Generates the ledger once (deterministic; reused on later runs from the temp dir, or from
--path), then for every company opens a fresh EmbeddedLedger with an empty statement cache and
times `trial_balance` over the whole year, analytic and synthetic level. "All companies" is the
sum: together they read every line of the file.

    python scripts/bench/trial_balance_cold.py [--lines 1000000] [--seed 2025] [--path FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from roa2web.demo import generate_demo_ledger
from roa2web.ledger.embedded import EmbeddedLedger, to_sqlite
from roa2web.reports import trial_balance

TARGET_S = 2.0
YEAR, MONTHS = 2025, 12


def line_counts(path: Path) -> dict[int, int]:
    """Journal lines per company in the ledger file."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        return dict(db.execute("SELECT company_id, COUNT(*) FROM r2w_journal_lines GROUP BY company_id").fetchall())


def ensure_ledger(path: Path, lines: int, seed: int) -> None:
    """Generate a demo ledger of at least `lines` journal lines at `path` unless one is there."""
    if path.exists() and sum(line_counts(path).values()) >= lines:
        print(f"reusing {path}")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # `lines_per_month` is a volume knob, not an exact count: calibrate it on a small ledger first.
    probe = path.with_suffix(".probe.sqlite")
    probe_per_month = 5_000
    probed = generate_demo_ledger(probe, seed=seed, until=(YEAR, MONTHS), months=MONTHS,
                                  lines_per_month=probe_per_month)
    probe.unlink()
    per_month = math.ceil(probe_per_month * lines / probed.line_count * 1.02)
    started = time.perf_counter()
    summary = generate_demo_ledger(path, seed=seed, until=(YEAR, MONTHS), months=MONTHS, lines_per_month=per_month)
    print(f"generated {summary.line_count:,} lines ({summary.size_bytes / 2**20:.0f} MiB) "
          f"in {time.perf_counter() - started:.1f} s -> {path}")


async def time_trial_balance(path: Path, company_id: int, level: str) -> tuple[float, int]:
    """Seconds for one cold trial balance (fresh ledger, empty transpile cache), and its row count."""
    to_sqlite.cache_clear()
    ledger = EmbeddedLedger(path)
    try:
        started = time.perf_counter()
        report = await trial_balance(ledger, company_id, YEAR, 1, MONTHS, level=level)
        elapsed = time.perf_counter() - started
    finally:
        await ledger.close()
    assert report.totals.closing_debit == report.totals.closing_credit
    return elapsed, len(report.rows)


async def run(path: Path) -> None:
    """Time every company at both levels and print the figures."""
    counts = line_counts(path)
    print(f"ledger: {sum(counts.values()):,} journal lines; target < {TARGET_S} s cold")
    for level in ("analytic", "synthetic"):
        total = 0.0
        for company_id, count in sorted(counts.items()):
            elapsed, rows = await time_trial_balance(path, company_id, level)
            total += elapsed
            print(f"  {level:9} company {company_id}: {count:>9,} lines, {rows:>4} rows, {elapsed:.3f} s")
        verdict = "OK" if total < TARGET_S else "MISSED"
        print(f"  {level:9} all companies ({sum(counts.values()):,} lines): {total:.3f} s  [{verdict}]")


def main() -> None:
    """Parse arguments, make sure the ledger exists, run the timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="journal lines wanted (all companies)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--path", type=Path, help="ledger file to reuse or create (default: in the temp dir)")
    args = parser.parse_args()
    path = args.path or Path(tempfile.gettempdir()) / "roa2web-bench" / f"ledger-{args.lines}-{args.seed}.sqlite"
    ensure_ledger(path, args.lines, args.seed)
    asyncio.run(run(path))


if __name__ == "__main__":
    main()
