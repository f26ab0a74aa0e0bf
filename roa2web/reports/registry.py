"""Every report by name.

The one registry that the cached service, the HTTP routes, the exporters and the check of
REPORTS_TTL_OVERRIDES read.

A report the HTTP door serves from the cache has a `cached` form (`CachedReport`): the builder and
parameters of what the door serves (for invoices one page, where an export takes every page), the
last month its figures depend on (which picks its lifetime) and the defaults that depend on the day.

An exporter (XLSX, CSV, PDF) reads a report as a stream, so a large one is never held whole:

    spec = REPORTS[name]
    stream = await spec.open_stream(ledger, raw_params)  # validates; a report with a `stream` form
    title = spec.title; facts = stream.facts             #   reads the ledger's cursor in batches
    header = [column.label for column in spec.columns]   # column.kind: text|money|date|int
    async for batch in stream.batches:
        for item in batch: write(spec.cells(item))
    totals = stream.totals()                             # summed on the way; None when it has none
    if totals is not None: write(spec.cells(totals))     # keys absent from totals -> None

(`spec.run` builds the whole result, with `spec.rows`, `spec.totals` and `spec.summary` to read it.)

Column keys are attribute paths into a row ("partner.name"). Money cells are Decimal with
two places; dates are datetime.date.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from roa2web.dates import today as firm_today
from roa2web.ledger.base import Ledger
from roa2web.reports import columns
from roa2web.reports.aging import invoice_aging
from roa2web.reports.columns import Column
from roa2web.reports.dashboard import dashboard
from roa2web.reports.errors import ReportParameterError
from roa2web.reports.invoices import all_invoices, invoices_stream, list_invoices
from roa2web.reports.journal import journal, journal_stream
from roa2web.reports.params import (
    AgingParams,
    DashboardParams,
    InvoiceFilterParams,
    InvoiceListParams,
    JournalParams,
    ReportParams,
    TreasuryParams,
    TrialBalanceParams,
)
from roa2web.reports.periods import Month
from roa2web.reports.streaming import ReportStream
from roa2web.reports.treasury import treasury
from roa2web.reports.trial_balance import trial_balance
from roa2web.validation_messages import romanian_message


def resolve(item: Any, key: str) -> Any:
    """The value at attribute (or mapping key) path `key` of `item`, None when absent."""
    value = item
    for part in key.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


@functools.cache
def _attributes(columns: tuple[Column, ...]) -> Callable[[Any], tuple[Any, ...]]:
    getter = operator.attrgetter(*(column.key for column in columns))
    if len(columns) == 1:
        return lambda item: (getter(item),)
    return getter


def _month_of(day: dt.date) -> Month:
    return day.year, day.month


def _as_is(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return params


def _as_of_today(params: Mapping[str, Any]) -> Mapping[str, Any]:
    if params.get("as_of") is None:
        return {**params, "as_of": firm_today()}
    return params


@dataclass(frozen=True, slots=True)
class CachedReport:
    """How the report cache serves a report.

    Its builder and parameters (the route's query), the last month its figures depend on, and how
    to resolve defaults that depend on the day (so the cache key names the day the figures are for).
    """

    builder: Callable[..., Awaitable[Any]]
    params: type[ReportParams]
    last_month: Callable[[Mapping[str, Any]], Month]
    resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] = _as_is


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report: builder, parameters, Romanian title, columns, rows, totals and summary.

    `cached` says how the cache serves it (None: export only). `stream`, for a report that can be
    long, reads it from the ledger's cursor in batches (`roa2web.reports.streaming`); it takes the
    builder's arguments.
    """

    name: str
    title: str
    builder: Callable[..., Awaitable[Any]]
    params: type[BaseModel]
    columns: tuple[Column, ...]
    rows: Callable[[Any], Iterable[Any]]
    totals: Callable[[Any], Any | None]
    summary: Callable[[Any], list[tuple[str, Any]]]
    cached: CachedReport | None = None
    stream: Callable[..., Awaitable[ReportStream]] | None = None

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
            raise ReportParameterError(field, romanian_message(first)) from exc

    async def run(self, ledger: Ledger, raw: Mapping[str, Any] | BaseModel) -> Any:
        """Validate `raw` and build the report."""
        params = self.validate(raw)
        return await self.builder(ledger, **params.model_dump())

    async def open_stream(self, ledger: Ledger, raw: Mapping[str, Any] | BaseModel) -> ReportStream:
        """Validate `raw` and open the report as a stream (a report without a `stream` form is built whole)."""
        params = self.validate(raw)
        if self.stream is not None:
            return await self.stream(ledger, **params.model_dump())
        result = await self.builder(ledger, **params.model_dump())
        rows = self.rows(result)
        return ReportStream.of_result(self.summary(result), rows if isinstance(rows, Sequence) else list(rows),
                                      self.totals(result))

    def cells(self, item: Any) -> list[Any]:
        """The values of one row (or of the totals) in column order."""
        try:
            return list(_attributes(self.columns)(item))  # every key an attribute path: one C call
        except AttributeError:  # a mapping, a missing attribute (totals) or a None on the way
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
            cached=CachedReport(dashboard, DashboardParams, lambda p: (p["year"], p["month"])),
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
            cached=CachedReport(list_invoices, InvoiceListParams, lambda p: _month_of(p["as_of"]), _as_of_today),
            stream=invoices_stream,
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
            cached=CachedReport(invoice_aging, AgingParams, lambda p: _month_of(p["as_of"])),
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
            cached=CachedReport(treasury, TreasuryParams, lambda p: _month_of(p["date_to"])),
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
            cached=CachedReport(trial_balance, TrialBalanceParams, lambda p: (p["year"], p["month_to"])),
        ),
        ReportSpec(
            name="journal",
            title="Registrul-jurnal",
            builder=journal,
            params=JournalParams,
            columns=columns.JOURNAL,
            rows=lambda r: r.lines,
            totals=lambda r: r.totals,
            summary=columns.journal_summary,
            stream=journal_stream,
        ),
    ]
    return {spec.name: spec for spec in specs}


REPORTS: dict[str, ReportSpec] = _specs()


def cached_report(name: str) -> CachedReport:
    """How the cache serves report `name`; KeyError when no such report is served from the cache."""
    spec = REPORTS.get(name)
    if spec is None or spec.cached is None:
        raise KeyError(f"no cached report {name!r}; one of: {', '.join(cached_report_names())}")
    return spec.cached


def cached_report_names() -> list[str]:
    """The names of the reports the cache serves, sorted."""
    return sorted(name for name, spec in REPORTS.items() if spec.cached is not None)
