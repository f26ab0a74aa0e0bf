"""Reports read as a stream: facts known before the rows, the rows batch by batch, totals made on the way.

An export of 100,000 journal lines must not hold them all: `ReportStream.batches` yields the
report's row items one ledger batch at a time (the ledger's cursor, `Ledger.stream`), and
`totals()` gives the totals item once the batches are exhausted, summed while they passed.
A report without a streaming form is built whole and handed over as one batch
(`ReportStream.of_result`): its rows are few (accounts, partners, months).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportStream:
    """One report, ready to be read once.

    `facts`: (Romanian label, value) pairs known before the rows (the period, the row count);
    `expected_rows`: how many rows the ledger said it would send, for progress (None: unknown);
    `batches`: the row items, a batch at a time; `totals()`: the totals item (None when the
    report has none), valid only once `batches` is exhausted.
    """

    facts: list[tuple[str, Any]]
    expected_rows: int | None
    batches: AsyncIterator[Sequence[Any]]
    totals: Callable[[], Any | None]

    @classmethod
    def of_result(cls, facts: list[tuple[str, Any]], rows: Sequence[Any], totals: Any | None) -> ReportStream:
        """A report already built: its rows in one batch."""
        return cls(facts, len(rows), _one_batch(rows), lambda: totals)


async def _one_batch(rows: Sequence[Any]) -> AsyncIterator[Sequence[Any]]:
    if rows:
        yield rows


class RunningSums:
    """Integer sums by name, added to row by row; `finished` once the stream they follow has ended."""

    def __init__(self, *names: str) -> None:
        self.count = 0
        self.sums = dict.fromkeys(names, 0)
        self.finished = False

    def add(self, **values: int) -> None:
        """Count one row and add its values."""
        self.count += 1
        for name, value in values.items():
            self.sums[name] += value

    def __getitem__(self, name: str) -> int:
        if not self.finished:
            raise RuntimeError("the totals of a report stream are read before its last row")
        return self.sums[name]
