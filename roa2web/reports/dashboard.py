"""Dashboard KPIs of one company for one month.

Revenue = class 7 net of its debit-side accounts (credit turnover minus debit turnover, so 709
trade discounts granted reduce it), expenses = class 6 net of its credit-side accounts (debit
turnover minus credit turnover, so 609 trade discounts received reduce them), both by accounting
period and without period-closing lines (is_closing = 1: 6/7 into 121); result = revenue -
expenses, which is what the closing entries put into 121. Balances are as of the end of the
month (opening balances of the year + every line of months 1..month), signed on the account's
natural side:

- cash = 5311 + 5314, bank = 5121 + 5124 + 5125, receivables = 4111 + 4118 (debit - credit);
- payables = 401 + 404 + 408 (credit - debit);
- vat_position = balance of 4423 (credit - debit) - balance of 4424 (debit - credit):
  positive means VAT to pay, negative VAT to recover.

Overdue receivables/payables: open balance (payments up to the period end) of sales/purchase
invoices issued by and due before the last day of the month. The series holds the twelve
months ending with the requested one (it reaches into the previous year when month < 12).
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from roa2web.ledger.base import Ledger
from roa2web.reports.chart import BANK, CASH, PAYABLES, RECEIVABLES, VAT_PAYABLE, VAT_REFUNDABLE
from roa2web.reports.errors import check_month, check_positive_id, check_year
from roa2web.reports.money import to_money
from roa2web.reports.trial_balance import posting_figures


@dataclass(frozen=True, slots=True)
class Result:
    """Revenue, expenses and their difference."""

    revenue: Decimal
    expenses: Decimal
    result: Decimal


@dataclass(frozen=True, slots=True)
class MonthResult:
    """One month of the series."""

    year: int
    month: int
    revenue: Decimal
    expenses: Decimal
    result: Decimal


@dataclass(frozen=True, slots=True)
class Dashboard:
    """KPIs of one company for one month; money is Decimal with two places."""

    company_id: int
    year: int
    month: int
    period_end: dt.date
    current: Result  # the month itself
    year_to_date: Result  # months 1..month
    cash: Decimal
    bank: Decimal
    receivables: Decimal
    payables: Decimal
    overdue_receivables: Decimal
    overdue_payables: Decimal
    vat_position: Decimal
    series: list[MonthResult]


def _result(revenue: int, expenses: int) -> Result:
    return Result(to_money(revenue), to_money(expenses), to_money(revenue - expenses))


def trailing_months(year: int, month: int, count: int = 12) -> list[tuple[int, int]]:
    """The `count` (year, month) pairs ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


async def dashboard(ledger: Ledger, company_id: int, year: int, month: int) -> Dashboard:
    """The dashboard of `company_id` for `month` of `year` (see the module docstring)."""
    check_positive_id("company_id", company_id)
    check_year("year", year)
    check_month("month", month)
    period_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    months = trailing_months(year, month)
    (chart, leaves), kpi_rows, overdue_rows = await asyncio.gather(
        posting_figures(ledger, company_id, year, month, month),
        ledger.fetch(
            "reports.kpi_monthly",
            company_id=company_id,
            first_year=months[0][0],
            last_year=year,
            first_period=months[0][0] * 100 + months[0][1],
            last_period=year * 100 + month,
        ),
        ledger.fetch("reports.invoices_overdue", company_id=company_id, as_of=period_end),
    )
    net: dict[str, int] = {}  # debit - credit closing, per synthetic
    for code, figures in leaves.items():
        synthetic = chart.synthetic_of(code)
        net[synthetic] = net.get(synthetic, 0) + figures.total_debit - figures.total_credit

    def debit_balance(group: frozenset[str]) -> int:
        return sum(net.get(code, 0) for code in group)

    by_month = {(int(r["period_year"]), int(r["period_month"])): r for r in kpi_rows}
    series: list[MonthResult] = []
    ytd_revenue = ytd_expenses = 0
    for y, m in months:
        row = by_month.get((y, m))
        revenue = int(row["revenue_bani"] or 0) if row else 0
        expenses = int(row["expenses_bani"] or 0) if row else 0
        series.append(MonthResult(y, m, to_money(revenue), to_money(expenses), to_money(revenue - expenses)))
        if y == year:
            ytd_revenue += revenue
            ytd_expenses += expenses
    overdue = {str(r["kind"]): int(r["overdue_bani"] or 0) for r in overdue_rows}
    last = series[-1]
    return Dashboard(
        company_id=company_id,
        year=year,
        month=month,
        period_end=period_end,
        current=Result(last.revenue, last.expenses, last.result),
        year_to_date=_result(ytd_revenue, ytd_expenses),
        cash=to_money(debit_balance(CASH)),
        bank=to_money(debit_balance(BANK)),
        receivables=to_money(debit_balance(RECEIVABLES)),
        payables=to_money(-debit_balance(PAYABLES)),
        overdue_receivables=to_money(overdue.get("S", 0)),
        overdue_payables=to_money(overdue.get("P", 0)),
        vat_position=to_money(-net.get(VAT_PAYABLE, 0) - net.get(VAT_REFUNDABLE, 0)),
        series=series,
    )
