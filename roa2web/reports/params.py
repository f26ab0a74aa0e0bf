"""Parameter models of the reports: what a door or an export job may pass to each builder.

Field names equal the builders' keyword arguments (everything but the ledger), so
`builder(ledger, **model.model_dump())` is the call. The builders check again and raise
ReportParameterError, so a direct call is as safe as one through a model.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from roa2web.bounds import Id64
from roa2web.dates import IsoDate

CompanyId = Annotated[Id64, Field(description="ROA company id")]


class ReportParams(BaseModel):
    """What every report takes: the company; unknown fields are refused, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    company_id: CompanyId


class DashboardParams(ReportParams):
    """Dashboard for one month."""

    year: int = Field(ge=1900, le=9999)
    month: int = Field(ge=1, le=12)


class InvoiceFilterParams(ReportParams):
    """Which invoices: kind, status, partner, issue dates, and the date payments count up to."""

    kind: Literal["sales", "purchases"] = "sales"
    status: Literal["unpaid", "overdue", "paid", "all"] = "unpaid"
    partner_id: Id64 | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    as_of: IsoDate | None = Field(default=None, description="payments up to this day; default today")


class InvoiceListParams(InvoiceFilterParams):
    """One page of invoices."""

    limit: int = Field(default=50, ge=1, le=1000)
    cursor: str | None = Field(default=None, max_length=200)


class AgingParams(ReportParams):
    """Aging of open invoices at a date."""

    kind: Literal["sales", "purchases"] = "sales"
    as_of: IsoDate
    basis: Literal["due_date", "issue_date"] = "due_date"


class TreasuryParams(ReportParams):
    """Cash and bank over a date range inside one fiscal year."""

    date_from: IsoDate
    date_to: IsoDate


class TrialBalanceParams(ReportParams):
    """Trial balance for a month range of one year."""

    year: int = Field(ge=1900, le=9999)
    month_from: int = Field(ge=1, le=12)
    month_to: int = Field(ge=1, le=12)
    level: Literal["synthetic", "analytic"] = "synthetic"
    account_prefix: str | None = Field(default=None, min_length=1, max_length=40, pattern=r"^[0-9.]+$")
    hide_zero: bool = False


class JournalParams(ReportParams):
    """The general journal for a month range of one year."""

    year: int = Field(ge=1900, le=9999)
    month_from: int = Field(ge=1, le=12)
    month_to: int = Field(ge=1, le=12)
