"""What an export contains, independent of its format: title, company, period, columns, rows, totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from roa2web.exports.numbers import format_value
from roa2web.reports.columns import ColumnKind
from roa2web.reports.registry import ReportSpec

PERIOD_LABELS = ("Perioada", "La data", "De la data", "Până la data")


@dataclass(frozen=True)
class ExportColumn:
    """A column: its Romanian header and the kind of its values (text, money, date, int)."""

    label: str
    kind: ColumnKind


@dataclass(frozen=True)
class ExportDocument:
    """A report made ready for a file. `rows` is a sequence of value lists in column order."""

    title: str
    company: str
    company_cif: str
    period: str
    generated_at: dt.datetime
    facts: Sequence[tuple[str, Any]]
    columns: Sequence[ExportColumn]
    rows: Sequence[Sequence[Any]]
    totals: Sequence[Any] | None

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


def report_document(
    spec: ReportSpec, result: Any, *, company: str, company_cif: str, generated_at: dt.datetime
) -> ExportDocument:
    """An ExportDocument from a built report and its registry entry."""
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
