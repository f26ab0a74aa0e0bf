"""Dashboard: KPIs against independent sqlite3 computations, closing lines excluded."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from report_reference import bani, closed_into_121, invoices_at, net_balance, turnover
from report_reference import revenue_and_expenses as revenue_expenses

from roa2web.reports import ReportParameterError, dashboard
from roa2web.reports.dashboard import trailing_months


async def test_the_result_is_what_the_closing_entries_put_into_121(ledger, scenario):
    """Trade discounts included: 709 (granted) reduces revenue and 609 (received) reduces expenses."""
    for company_id in scenario.companies:
        closed_months = range(1, scenario.months)  # the last month is open, not closed into 121 yet
        discounts = [turnover(scenario.path, company_id, scenario.year, m, side=side, klass=klass, with_closing=False)
                     for m in closed_months for side, klass in (("debit", "7"), ("credit", "6"))]
        assert sum(discounts) > 0  # the ledger has 709 and 609 lines
        for month in closed_months:
            board = await dashboard(ledger, company_id, scenario.year, month)
            assert bani(board.current.result) == closed_into_121(scenario.path, company_id, scenario.year, month)
        board = await dashboard(ledger, company_id, scenario.year, scenario.months - 1)
        assert bani(board.year_to_date.result) == sum(
            closed_into_121(scenario.path, company_id, scenario.year, m) for m in closed_months)


@pytest.mark.parametrize("month", [1, 2, 6, 11, 12])
async def test_revenue_and_expenses_exclude_closing_lines(ledger, scenario, month):
    for company_id in scenario.companies:
        board = await dashboard(ledger, company_id, scenario.year, month)
        revenue, expenses = revenue_expenses(scenario.path, company_id, scenario.year, month)
        assert (bani(board.current.revenue), bani(board.current.expenses)) == (revenue, expenses)
        assert bani(board.current.result) == revenue - expenses
        with_closing = turnover(scenario.path, company_id, scenario.year, month, side="credit", klass="7",
                                with_closing=True)
        if month < scenario.months:  # closed month: closing 709 into 121 credits class 7 as well
            assert with_closing > revenue
        ytd = [revenue_expenses(scenario.path, company_id, scenario.year, m) for m in range(1, month + 1)]
        assert bani(board.year_to_date.revenue) == sum(r for r, _ in ytd)
        assert bani(board.year_to_date.expenses) == sum(e for _, e in ytd)
        assert revenue > 0 and expenses > 0


async def test_series_holds_the_twelve_months_ending_with_the_period(ledger, scenario):
    board = await dashboard(ledger, 1, scenario.year, 4)
    assert [(m.year, m.month) for m in board.series] == [(2024, m) for m in range(5, 13)] + [
        (2025, m) for m in range(1, 5)
    ]
    for point in board.series:
        if point.year == scenario.year:
            revenue, expenses = revenue_expenses(scenario.path, 1, point.year, point.month)
            assert (bani(point.revenue), bani(point.expenses)) == (revenue, expenses)
        else:
            assert point.revenue == point.expenses == 0
    assert trailing_months(2025, 12) == [(2025, m) for m in range(1, 13)]
    assert trailing_months(2025, 1, 3) == [(2024, 11), (2024, 12), (2025, 1)]


@pytest.mark.parametrize("month", [1, 5, 12])
async def test_balances_at_the_end_of_the_month(ledger, scenario, month):
    for company_id in scenario.companies:
        board = await dashboard(ledger, company_id, scenario.year, month)

        def net(*prefixes: str, company_id: int = company_id) -> int:
            return sum(net_balance(scenario.path, company_id, scenario.year, month, p) for p in prefixes)

        assert bani(board.cash) == net("5311", "5314")
        assert bani(board.bank) == net("5121", "5124", "5125")
        assert bani(board.receivables) == net("4111", "4118")
        assert bani(board.payables) == -net("401", "404", "408")
        assert bani(board.vat_position) == -net("4423") - net("4424")
        assert board.period_end == dt.date(scenario.year, month, calendar.monthrange(scenario.year, month)[1])
        assert board.bank != 0 and board.receivables > 0


@pytest.mark.parametrize("month", [2, 7, 12])
async def test_overdue_amounts_are_open_invoices_due_before_the_period_end(ledger, scenario, month):
    board = await dashboard(ledger, 1, scenario.year, month)
    end = board.period_end
    for kind, figure in (("S", board.overdue_receivables), ("P", board.overdue_payables)):
        invoices = invoices_at(scenario.path, 1, kind, end)
        expected = sum(i.balance for i in invoices if i.balance > 0 and i.due_date < end)
        assert bani(figure) == expected
    assert board.overdue_receivables > 0


@pytest.mark.parametrize(("year", "month", "field"), [(2025, 0, "month"), (2025, 13, "month"), (10, 1, "year")])
async def test_bad_period_is_refused(ledger, year, month, field):
    with pytest.raises(ReportParameterError) as error:
        await dashboard(ledger, 1, year, month)
    assert error.value.field == field
