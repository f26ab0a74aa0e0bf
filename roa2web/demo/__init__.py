"""The deterministic demo ledger of ROMANIAN_ACCOUNTING.md §9, written as the contract tables.

`generate_demo_ledger(path)` writes the SQLite file the embedded ledger reads;
`build_demo_ledger()` returns the same data in memory (books, invoices, receipts) for checks.
Both cover the `months` months ending with `until` (default: the current month), the last two open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from roa2web.demo.book import BookError, CashOverdrawnError, Document, Entry, PeriodLockedError
from roa2web.demo.days import YearMonth
from roa2web.demo.generator import DEFAULT_MONTHS, build_demo_ledger, default_until
from roa2web.demo.model import OPEN_MONTHS, DemoLedger, Receipt
from roa2web.demo.writer import file_sha256, write_ledger

__all__ = [
    "DEFAULT_MONTHS",
    "OPEN_MONTHS",
    "BookError",
    "CashOverdrawnError",
    "DemoLedger",
    "DemoSummary",
    "Document",
    "Entry",
    "PeriodLockedError",
    "Receipt",
    "YearMonth",
    "build_demo_ledger",
    "default_until",
    "generate_demo_ledger",
]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What was generated: where, how much, and the file's fingerprint."""

    path: Path
    seed: int
    first: YearMonth  # the first month generated
    until: YearMonth  # the last month generated
    months: int
    companies: int
    line_count: int
    invoice_count: int
    size_bytes: int
    sha256: str


def generate_demo_ledger(
    path: Path,
    *,
    seed: int = 2025,
    until: YearMonth | None = None,
    months: int = DEFAULT_MONTHS,
    lines_per_month: int | None = None,
    today: dt.date | None = None,
) -> DemoSummary:
    """Generate the demo ledger into the SQLite file `path` (replaced atomically).

    The window is the `months` months ending with `until` (default: the month of `today`, itself
    the clock's date by default). The same arguments, `until` given, give a byte-identical file.
    `lines_per_month` (journal lines a month over all companies) scales the volume up from §9's
    counts; None keeps those counts.
    """
    ledger = build_demo_ledger(seed=seed, until=until, months=months, lines_per_month=lines_per_month, today=today)
    write_ledger(ledger, path)
    return DemoSummary(
        path=path,
        seed=seed,
        first=ledger.periods[0],
        until=ledger.until,
        months=months,
        companies=len(ledger.companies),
        line_count=ledger.line_count,
        invoice_count=sum(len(company.invoices) for company in ledger.companies),
        size_bytes=path.stat().st_size,
        sha256=file_sha256(path),
    )
