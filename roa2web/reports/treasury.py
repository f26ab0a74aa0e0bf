"""Treasury: each cash and bank posting account (under 5311, 5314, 5121, 5124, 5125).

For a date range inside ONE fiscal year (a range crossing years is refused with
ReportParameterError; ask once per year): opening = opening balance at 1 January + lines of
that fiscal year dated before date_from; receipts = debits dated date_from..date_to;
payments = credits in the range; closing = opening + receipts - payments. Amounts are signed
debit-positive (a bank account in overdraft shows a negative balance). The fiscal year of a
line is its accounting period (period_year); its day is the document date.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from roa2web.ledger.base import Ledger
from roa2web.reports.chart import CASH_AND_BANK, load_chart
from roa2web.reports.errors import ReportParameterError, check_date, check_date_order, check_positive_id
from roa2web.reports.money import to_money


@dataclass(frozen=True, slots=True)
class TreasuryRow:
    """One cash or bank account; money is Decimal with two places."""

    account: str
    name: str
    synthetic: str
    opening: Decimal
    receipts: Decimal
    payments: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class TreasuryTotals:
    """Sums over every cash and bank account."""

    opening: Decimal
    receipts: Decimal
    payments: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class Treasury:
    """Cash and bank movements of one company over date_from..date_to."""

    company_id: int
    date_from: dt.date
    date_to: dt.date
    rows: list[TreasuryRow]
    totals: TreasuryTotals


async def treasury(ledger: Ledger, company_id: int, date_from: dt.date, date_to: dt.date) -> Treasury:
    """Opening, receipts, payments and closing of each cash and bank account (see module doc)."""
    check_positive_id("company_id", company_id)
    check_date("date_from", date_from)
    check_date("date_to", date_to)
    check_date_order(date_from, date_to)
    if date_from.year != date_to.year:
        raise ReportParameterError("date_to", "Data de început și data de sfârșit trebuie să fie în același an fiscal")
    chart, rows = await asyncio.gather(
        load_chart(ledger, company_id),
        ledger.fetch(
            "reports.treasury",
            company_id=company_id,
            fiscal_year=date_from.year,
            date_from=date_from,
            date_to=date_to,
        ),
    )
    amounts = {
        code: (0, 0, 0) for code in chart.leaves() if chart.synthetic_of(code) in CASH_AND_BANK
    }
    for row in rows:
        amounts[str(row["account"])] = (
            int(row["opening_bani"] or 0),
            int(row["receipts_bani"] or 0),
            int(row["payments_bani"] or 0),
        )
    result: list[TreasuryRow] = []
    sums = [0, 0, 0, 0]
    for code in sorted(amounts):
        opening, receipts, payments = amounts[code]
        closing = opening + receipts - payments
        for i, value in enumerate((opening, receipts, payments, closing)):
            sums[i] += value
        result.append(
            TreasuryRow(
                code,
                chart.name_of(code),
                chart.synthetic_of(code),
                to_money(opening),
                to_money(receipts),
                to_money(payments),
                to_money(closing),
            )
        )
    totals = TreasuryTotals(*(to_money(value) for value in sums))
    return Treasury(company_id, date_from, date_to, result, totals)
