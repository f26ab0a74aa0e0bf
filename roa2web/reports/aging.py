"""Aging of open invoices (vechimea soldurilor), per partner and in total.

An invoice is open at `as_of` when it was issued by then and its total exceeds the payments
dated up to `as_of`; its open balance goes to one bucket by days = as_of - reference date,
where the reference is the due date (basis 'due_date', days overdue) or the issue date
(basis 'issue_date', days since issue): not_due (days <= 0), d1_30, d31_60, d61_90, over_90.
Overpaid invoices (balance < 0) are not open and are left out. Customers for kind 'sales'
(4111 analytics), suppliers for 'purchases' (401 analytics).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from roa2web.ledger.base import Ledger
from roa2web.reports.errors import check_choice, check_date, check_positive_id
from roa2web.reports.invoices import KINDS, PartnerRef
from roa2web.reports.money import to_money

BASES = ("due_date", "issue_date")
BUCKETS = ("not_due", "d1_30", "d31_60", "d61_90", "over_90", "total")


@dataclass(frozen=True, slots=True)
class AgingRow:
    """One partner's open balance by bucket; money is Decimal with two places."""

    partner: PartnerRef
    not_due: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class AgingTotals:
    """Bucket sums over every partner."""

    not_due: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceAging:
    """The aging report: which invoices, at which date, on which basis."""

    company_id: int
    kind: str
    as_of: dt.date
    basis: str
    rows: list[AgingRow]
    totals: AgingTotals


async def invoice_aging(
    ledger: Ledger, company_id: int, kind: str, as_of: dt.date, basis: str = "due_date"
) -> InvoiceAging:
    """Open `kind` invoices ('sales' | 'purchases') at `as_of`, bucketed on `basis`."""
    check_positive_id("company_id", company_id)
    check_choice("kind", kind, KINDS)
    check_date("as_of", as_of)
    check_choice("basis", basis, BASES)
    rows = await ledger.fetch(
        "reports.aging",
        company_id=company_id,
        kind=KINDS[kind],
        as_of=as_of,
        basis=basis,
        cut_30=as_of - dt.timedelta(days=30),
        cut_60=as_of - dt.timedelta(days=60),
        cut_90=as_of - dt.timedelta(days=90),
    )
    sums = dict.fromkeys(BUCKETS, 0)
    result: list[AgingRow] = []
    for row in rows:
        amounts = {bucket: int(row[f"{bucket}_bani"] or 0) for bucket in BUCKETS}
        for bucket, amount in amounts.items():
            sums[bucket] += amount
        partner = PartnerRef(int(row["partner_id"]), str(row["partner_name"]), row["partner_cif"])
        result.append(AgingRow(partner, **{bucket: to_money(amount) for bucket, amount in amounts.items()}))
    totals = AgingTotals(**{bucket: to_money(amount) for bucket, amount in sums.items()})
    return InvoiceAging(company_id, kind, as_of, basis, result, totals)
