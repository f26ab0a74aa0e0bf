"""Every report by name, described well enough for an exporter to render it generically.

An exporter (XLSX, PDF) does:

    spec = REPORTS[name]
    result = await spec.run(ledger, raw_params)          # validates, then calls the builder
    title = spec.title; facts = spec.summary(result)     # [(Romanian label, value), ...]
    header = [column.label for column in spec.columns]   # column.kind: text|money|date|int
    for item in spec.rows(result): write(spec.cells(item))
    totals = spec.totals(result)                         # None when the report has none
    if totals is not None: write(spec.cells(totals))     # keys absent from totals -> None

Column keys are attribute paths into a row ("partner.name"). Money cells are Decimal with
two places; dates are datetime.date.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from roa2web.ledger.base import Ledger
from roa2web.reports import columns
from roa2web.reports.aging import invoice_aging
from roa2web.reports.columns import Column
from roa2web.reports.dashboard import dashboard
from roa2web.reports.errors import ReportParameterError
from roa2web.reports.invoices import all_invoices
from roa2web.reports.params import AgingParams, DashboardParams, InvoiceFilterParams, TreasuryParams, TrialBalanceParams
from roa2web.reports.treasury import treasury
from roa2web.reports.trial_balance import trial_balance


def resolve(item: Any, key: str) -> Any:
    """The value at attribute (or mapping key) path `key` of `item`, None when absent."""
    value = item
    for part in key.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report: its builder and parameters, Romanian title, columns, rows, totals, summary."""

    name: str
    title: str
    builder: Callable[..., Awaitable[Any]]
    params: type[BaseModel]
    columns: tuple[Column, ...]
    rows: Callable[[Any], Iterable[Any]]
    totals: Callable[[Any], Any | None]
    summary: Callable[[Any], list[tuple[str, Any]]]

    def validate(self, raw: Mapping[str, Any] | BaseModel) -> BaseModel:
        """The parameter model for `raw`; ReportParameterError naming the first bad field."""
        if isinstance(raw, self.params):
            return raw
        data = raw.model_dump() if isinstance(raw, BaseModel) else dict(raw)
        try:
            return self.params.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "parameters"
            raise ReportParameterError(field, first["msg"]) from exc

    async def run(self, ledger: Ledger, raw: Mapping[str, Any] | BaseModel) -> Any:
        """Validate `raw` and build the report."""
        params = self.validate(raw)
        return await self.builder(ledger, **params.model_dump())

    def cells(self, item: Any) -> list[Any]:
        """The values of one row (or of the totals) in column order."""
        return [resolve(item, column.key) for column in self.columns]


def _specs() -> dict[str, ReportSpec]:
    specs = [
        ReportSpec(
            name="dashboard",
            title="Tablou de bord",
            builder=dashboard,
            params=DashboardParams,
            columns=columns.DASHBOARD_SERIES,
            rows=lambda r: r.series,
            totals=lambda r: None,
            summary=columns.dashboard_summary,
        ),
        ReportSpec(
            name="invoices",
            title="Facturi",
            builder=all_invoices,
            params=InvoiceFilterParams,
            columns=columns.INVOICES,
            rows=lambda r: r.items,
            totals=lambda r: r.totals,
            summary=columns.invoices_summary,
        ),
        ReportSpec(
            name="invoices_aging",
            title="Vechimea facturilor neachitate",
            builder=invoice_aging,
            params=AgingParams,
            columns=columns.AGING,
            rows=lambda r: r.rows,
            totals=lambda r: r.totals,
            summary=columns.aging_summary,
        ),
        ReportSpec(
            name="treasury",
            title="Trezorerie",
            builder=treasury,
            params=TreasuryParams,
            columns=columns.TREASURY,
            rows=lambda r: r.rows,
            totals=lambda r: r.totals,
            summary=columns.treasury_summary,
        ),
        ReportSpec(
            name="trial_balance",
            title="Balanța de verificare",
            builder=trial_balance,
            params=TrialBalanceParams,
            columns=columns.TRIAL_BALANCE,
            rows=lambda r: r.rows,
            totals=lambda r: r.totals,
            summary=columns.trial_balance_summary,
        ),
    ]
    return {spec.name: spec for spec in specs}


REPORTS: dict[str, ReportSpec] = _specs()
