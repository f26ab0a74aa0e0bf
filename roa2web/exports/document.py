"""What an export contains, independent of its format: title, company, period, columns, rows, totals.

The rows of a document made from a report stream (`stream_document`) are read once, in order,
as the writer asks for them: each ledger batch is fetched on the event loop the stream was
opened on (through `run`) only when the writer has written the rows before it. The totals are
known once the last row has been read (`ExportDocument.totals_row`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from typing import Any

from roa2web.exports.numbers import format_value
from roa2web.reports.columns import ColumnKind
from roa2web.reports.registry import ReportSpec
from roa2web.reports.streaming import ReportStream

type Runner = Callable[[Coroutine[Any, Any, Any]], Any]  # runs a coroutine on the loop, from a worker thread

PERIOD_LABELS = ("Perioada", "La data", "De la data", "Până la data")


@dataclass(frozen=True)
class ExportColumn:
    """A column: its Romanian header and the kind of its values (text, money, date, int)."""

    label: str
    kind: ColumnKind


@dataclass(frozen=True)
class ExportDocument:
    """A report made ready for a file.

    `rows`: value lists in column order, read once; `totals`: the totals row, or a function giving
    it once every row was read (a stream's totals, summed on the way), or None;
    `expected_rows`: how many rows to expect, for progress (a sized `rows` says it itself);
    `picture`: a PNG drawn under the facts where the format shows pictures (the dashboard's chart in a PDF).
    """

    title: str
    company: str
    company_cif: str
    period: str
    generated_at: dt.datetime
    facts: Sequence[tuple[str, Any]]
    columns: Sequence[ExportColumn]
    rows: Iterable[Sequence[Any]]
    totals: Sequence[Any] | Callable[[], Sequence[Any] | None] | None
    expected_rows: int | None = None
    picture: bytes | None = None

    def rows_expected(self) -> int | None:
        """How many rows the writer should expect (None: unknown)."""
        if self.expected_rows is not None:
            return self.expected_rows
        return len(self.rows) if isinstance(self.rows, Sized) else None

    def totals_row(self) -> list[Any] | None:
        """The totals row (call after reading every row: a stream's totals are summed as its rows pass)."""
        totals = self.totals() if callable(self.totals) else self.totals
        return None if totals is None else list(totals)

    def head_and_rows(self, sample: int) -> tuple[list[Sequence[Any]], Iterator[Sequence[Any]]]:
        """The first `sample` rows (for column widths) and an iterator over every row, those included."""
        rows = iter(self.rows)
        head = list(itertools.islice(rows, sample))
        return head, itertools.chain(head, rows)

    @property
    def subtitle(self) -> str:
        """'ALFA COMERT SRL (CIF RO28461357) · Perioada: martie 2025'."""
        company = f"{self.company} (CIF {self.company_cif})" if self.company_cif else self.company
        return f"{company} · {self.period}" if self.period else company

    @property
    def generated_label(self) -> str:
        """'Generat la 03.04.2025 14:05' in local time."""
        return f"Generat la {self.generated_at.astimezone():%d.%m.%Y %H:%M}"


def format_fact(value: Any) -> str:
    """A summary value as Romanian text (dates dd.mm.yyyy, money 1.234,56)."""
    return format_value(value)


def period_text(facts: Sequence[tuple[str, Any]]) -> str:
    """The period line from a report's summary facts ('Perioada: martie 2025', 'De la … până la …')."""
    found = {label: value for label, value in facts if label in PERIOD_LABELS}
    if "Perioada" in found:
        return f"Perioada: {format_fact(found['Perioada'])}"
    if "De la data" in found and "Până la data" in found:
        return f"Perioada: {format_fact(found['De la data'])} – {format_fact(found['Până la data'])}"
    if "La data" in found:
        return f"La data: {format_fact(found['La data'])}"
    return ""


class _LazyRows(Sequence[Sequence[Any]]):
    """Rows turned into cell lists on access, so a large report is not copied whole."""

    def __init__(self, items: Sequence[Any], cells: Callable[[Any], list[Any]]) -> None:
        self._items = items
        self._cells = cells

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._cells(item) for item in self._items[index]]
        return self._cells(self._items[index])


def loop_runner(loop: asyncio.AbstractEventLoop) -> Runner:
    """Run coroutines on `loop` from another thread and wait for them (never from the loop's own thread)."""

    def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            coroutine.close()
            raise RuntimeError("an export's rows are read on its event loop's thread; write it from another thread")
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    return run


_END = object()


def blocking_batches[T](run: Runner, batches: AsyncIterator[T]) -> Iterator[T]:
    """The batches of an async iterator, each fetched through `run` when asked for; closed when left."""

    async def step() -> Any:
        try:
            return await anext(batches)
        except StopAsyncIteration:
            return _END

    try:
        while (batch := run(step())) is not _END:
            yield batch
    finally:
        close = getattr(batches, "aclose", None)
        if close is not None:
            # Left on the loop's own thread (garbage collected there), the loop's async-generator
            # hook closes the stream instead: it cannot be waited for here.
            with contextlib.suppress(RuntimeError):
                run(close())


def stream_document(
    spec: ReportSpec, stream: ReportStream, run: Runner, *, company: str, company_cif: str, generated_at: dt.datetime
) -> ExportDocument:
    """An ExportDocument whose rows come from a report stream, a ledger batch at a time, as the writer reads them."""

    def rows() -> Iterator[list[Any]]:
        cells = spec.cells
        for batch in blocking_batches(run, stream.batches):
            for item in batch:
                yield cells(item)

    def totals() -> list[Any] | None:
        item = stream.totals()
        return None if item is None else spec.cells(item)

    return ExportDocument(
        title=spec.title,
        company=company,
        company_cif=company_cif,
        period=period_text(stream.facts),
        generated_at=generated_at,
        facts=stream.facts,
        columns=[ExportColumn(column.label, column.kind) for column in spec.columns],
        rows=rows(),
        totals=totals,
        expected_rows=stream.expected_rows,
    )


def report_document(
    spec: ReportSpec, result: Any, *, company: str, company_cif: str, generated_at: dt.datetime
) -> ExportDocument:
    """An ExportDocument from a report built whole (`spec.run`) and its registry entry."""
    facts = spec.summary(result)
    items = spec.rows(result)
    rows = items if isinstance(items, Sequence) else list(items)
    totals = spec.totals(result)
    return ExportDocument(
        title=spec.title,
        company=company,
        company_cif=company_cif,
        period=period_text(facts),
        generated_at=generated_at,
        facts=facts,
        columns=[ExportColumn(column.label, column.kind) for column in spec.columns],
        rows=_LazyRows(rows, spec.cells),
        totals=None if totals is None else spec.cells(totals),
    )
