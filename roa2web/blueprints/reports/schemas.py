"""Response schemas of `/api/reports`, for OpenAPI and for tests that check the bodies against them.

Report bodies are served as cached bytes and never validated per request: these models document
them (`document_response`). They mirror the domain's result dataclasses field for field and forbid
anything else, so a test that loads real bodies into them catches a drift. Money is a JSON number
written with exactly two decimals (1234.50).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from roa2web.bounds import Id64

Money = Annotated[Decimal, WithJsonSchema({"type": "number", "multipleOf": 0.01, "examples": [1234.5]})]
ReportName = Literal["dashboard", "invoices", "invoices_aging", "treasury", "trial_balance"]


class Out(BaseModel):
    """Strict: a field the body has and the schema lacks is an error."""

    model_config = ConfigDict(extra="forbid")


class CacheHeaders(Out):
    """Headers of every report response (200 and 304)."""

    x_cache: Literal["HIT-L1", "HIT-L2", "MISS", "STALE"] = Field(
        description="where the body came from; STALE = the ledger failed and this is the last known copy"
    )
    x_cache_age: int = Field(description="seconds since the body was computed")
    etag: str = Field(description='strong validator (quoted); send it back in If-None-Match for a 304')
    cache_control: Literal["private"]


class ResultOut(Out):
    """Revenue, expenses and their difference."""

    revenue: Money = Field(description="class 7 credit turnover minus its debit turnover (709 discounts granted "
                                       "reduce it), closing entries excluded")
    expenses: Money = Field(description="class 6 debit turnover minus its credit turnover (609 discounts received "
                                        "reduce it), closing entries excluded")
    result: Money = Field(description="revenue - expenses: what the closing entries put into 121")


class MonthResultOut(ResultOut):
    """One month of the series."""

    year: int
    month: int


class DashboardOut(Out):
    """KPIs of one month: revenue and expenses without closing entries, balances at the month's end."""

    company_id: int
    year: int
    month: int
    period_end: dt.date
    current: ResultOut
    year_to_date: ResultOut
    cash: Money = Field(description="5311 + 5314")
    bank: Money = Field(description="5121 + 5124 + 5125")
    receivables: Money
    payables: Money
    overdue_receivables: Money
    overdue_payables: Money
    vat_position: Money = Field(description="positive: VAT to pay; negative: VAT to recover")
    series: list[MonthResultOut] = Field(description="the twelve months ending with the requested one")


class PartnerOut(Out):
    """A partner of the ledger."""

    id: int
    name: str
    cif: str | None


class InvoiceOut(Out):
    """One invoice with what was paid on it up to `as_of`."""

    invoice_id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    partner: PartnerOut
    total: Money
    paid: Money
    balance: Money
    days_overdue: int


class InvoiceTotalsOut(Out):
    """Sums over every matching invoice (all pages)."""

    count: int
    total: Money
    paid: Money
    balance: Money


class InvoicePageOut(Out):
    """One page of invoices; pass `next_cursor` back as `cursor` for the next (null on the last)."""

    kind: Literal["sales", "purchases"]
    status: Literal["unpaid", "overdue", "paid", "all"]
    as_of: dt.date
    items: list[InvoiceOut]
    totals: InvoiceTotalsOut
    next_cursor: str | None


class AgingBucketsOut(Out):
    """Open balances by days past the reference date."""

    not_due: Money
    d1_30: Money
    d31_60: Money
    d61_90: Money
    over_90: Money
    total: Money


class AgingRowOut(AgingBucketsOut):
    """One partner's open balance by bucket."""

    partner: PartnerOut


class AgingOut(Out):
    """Aging of open invoices per partner and in total."""

    company_id: int
    kind: Literal["sales", "purchases"]
    as_of: dt.date
    basis: Literal["due_date", "issue_date"]
    rows: list[AgingRowOut]
    totals: AgingBucketsOut


class TreasuryTotalsOut(Out):
    """Sums over every cash and bank account; closing = opening + receipts - payments."""

    opening: Money
    receipts: Money
    payments: Money
    closing: Money


class TreasuryRowOut(TreasuryTotalsOut):
    """One cash or bank account (analytic level)."""

    account: str
    name: str
    synthetic: str


class TreasuryOut(Out):
    """Cash and bank movements over a date range of one fiscal year."""

    company_id: int
    date_from: dt.date
    date_to: dt.date
    rows: list[TreasuryRowOut]
    totals: TreasuryTotalsOut


class TrialBalanceTotalsOut(Out):
    """The five debit/credit pairs; in the totals every debit equals its credit."""

    opening_debit: Money
    opening_credit: Money
    previous_debit: Money
    previous_credit: Money
    current_debit: Money
    current_credit: Money
    total_debit: Money
    total_credit: Money
    closing_debit: Money
    closing_credit: Money


class TrialBalanceRowOut(TrialBalanceTotalsOut):
    """One account; `function` A (asset), P (liability) or B (bifunctional).

    A posting account (an analytic, or a synthetic without analytics) closes by its function: A on
    the debit side, P on the credit side, B on the side its net falls, the other side 0. A synthetic
    row at level `synthetic` is the plain sum of its analytics, closing included: its closing debit
    is the sum of their closing debits and its closing credit the sum of their closing credits,
    never netted, so it may show both sides (a 473 with one analytic in debit and one in credit).
    """

    account: str
    name: str
    function: Literal["A", "P", "B"]
    synthetic: str


class TrialBalanceOut(Out):
    """The 5-equality trial balance.

    Synthetic rows are the plain sums of their analytics, closing sides not netted.
    """

    company_id: int
    year: int
    month_from: int
    month_to: int
    level: Literal["synthetic", "analytic"]
    rows: list[TrialBalanceRowOut]
    totals: TrialBalanceTotalsOut


class InvalidateIn(BaseModel):
    """What to drop: a company, a report, or both (admins may leave both out: everything)."""

    model_config = ConfigDict(extra="forbid")

    company_id: Id64 | None = None
    report: ReportName | None = None


class RemovedOut(Out):
    """How many cached reports were removed."""

    removed: int
    company_id: int | None = None
    report: str | None = None


class TierStatsOut(Out):
    """One tier's counters and size."""

    hits: int
    misses: int
    hit_ratio: float
    entries: int
    bytes: int
    mean_lookup_us: float


class MemoryTierOut(TierStatsOut):
    """L1, in memory."""

    max_entries: int
    ttl_s: float


class SqliteTierOut(TierStatsOut):
    """L2, the SQLite file (expired entries are kept to serve STALE)."""

    expired_entries: int
    path: str


class ReportCountersOut(Out):
    """Per report: lookups served from a tier, lookups that computed, stale serves."""

    hits: int
    misses: int
    stale: int


class CacheStatsOut(Out):
    """The cache's figures since this process started (entries and bytes are current)."""

    l1: MemoryTierOut
    l2: SqliteTierOut
    stale: int
    computes: int
    coalesced: int = Field(description="misses that joined a computation already running (single flight)")
    compute_errors: int
    l2_errors: int
    in_flight: int
    ledger: str = Field(description="tag of the ledger's identity that this process's entries are keyed on")
    reports: dict[str, ReportCountersOut]
