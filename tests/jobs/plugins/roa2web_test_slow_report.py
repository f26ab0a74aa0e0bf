"""A test-only slow report for the export crash tests (server subprocesses import it through
QUEUE_HANDLER_MODULES). Its builder really waits `seconds` and notes each start in `marker`; with
`release`, it also notes its process id and waits until that file exists, then notes its end."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from roa2web.reports import REPORTS
from roa2web.reports.columns import Column
from roa2web.reports.registry import ReportSpec


class SlowParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    company_id: int
    seconds: float = 2.0
    rows: int = 50
    marker: str | None = None
    release: str | None = None


@dataclass(frozen=True)
class Line:
    number: int
    label: str
    day: dt.date
    amount: Decimal


@dataclass(frozen=True)
class SlowResult:
    lines: list[Line]
    total: Decimal


def _note(marker: str | None, line: str) -> None:
    if marker:
        with Path(marker).open("a", encoding="utf-8") as handle:
            handle.write(f"{line}\n")


async def slow_report(ledger: object, *, company_id: int, seconds: float, rows: int, marker: str | None,
                      release: str | None = None) -> SlowResult:
    _note(marker, f"build {company_id}")
    await asyncio.sleep(seconds)
    if release:
        _note(marker, f"waiting {os.getpid()}")
        while not Path(release).exists():
            await asyncio.sleep(0.05)
        _note(marker, f"released {os.getpid()}")
    lines = [Line(i, f"Încasare ș/ț nr. {i}", dt.date(2025, 1, 1 + i % 28), Decimal(i) + Decimal("0.50"))
             for i in range(1, rows + 1)]
    return SlowResult(lines, sum((line.amount for line in lines), Decimal("0.00")))


REPORTS["test_slow_report"] = ReportSpec(
    name="test_slow_report",
    title="Raport lent de test",
    builder=slow_report,
    params=SlowParams,
    columns=(Column("number", "Nr.", "int"), Column("label", "Explicație", "text"), Column("day", "Data", "date"),
             Column("amount", "Sumă", "money")),
    rows=lambda result: result.lines,
    totals=lambda result: {"amount": result.total},
    summary=lambda result: [("Rânduri", len(result.lines))],
)
