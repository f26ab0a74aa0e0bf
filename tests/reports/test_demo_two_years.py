"""The reports on the default demo window (2025-01..2026-12 for a fixed today): the second year too.

The trial balance's five equalities and synthetic = Σ analytics hold on 2026 months; 2026 opens with
2025's closing balances; the dashboard's result of each year is what the closing entries put into 121.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from report_reference import bani, closed_into_121, leaf_figures, revenue_and_expenses, turnover

from roa2web import demo
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import dashboard, trial_balance
from roa2web.reports.trial_balance import AMOUNT_KEYS, PAIRS

TODAY = dt.date(2026, 12, 5)  # the default window is computed from it, never from the clock
COMPANIES = (1, 2, 3)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    """The demo ledger `roa2web init` would write on TODAY."""
    path = tmp_path_factory.mktemp("demo-two-years") / "ledger.sqlite"
    summary = demo.generate_demo_ledger(path, seed=2025, today=TODAY)
    assert (summary.first, summary.until) == ((2025, 1), (2026, 12))
    return path


@pytest.fixture
async def ledger(demo_path):
    ledger = EmbeddedLedger(demo_path)
    yield ledger
    await ledger.close()


def pairs(row) -> dict[str, int]:
    return {key: bani(getattr(row, key)) for key in AMOUNT_KEYS}


async def test_trial_balance_equalities_and_synthetic_sums_on_the_second_year(ledger, demo_path):
    for company_id, (month_from, month_to) in itertools.product(COMPANIES, [(1, 1), (1, 11), (11, 12), (1, 12)]):
        analytic = await trial_balance(ledger, company_id, 2026, month_from, month_to, level="analytic")
        synthetic = await trial_balance(ledger, company_id, 2026, month_from, month_to, level="synthetic")
        for report in (analytic, synthetic):
            totals = pairs(report.totals)
            for pair in PAIRS:
                assert totals[f"{pair}_debit"] == totals[f"{pair}_credit"], (company_id, month_from, pair)
            assert totals["opening_debit"] > 0 and totals["current_debit"] > 0
        reference = leaf_figures(demo_path, company_id, 2026, month_from, month_to)
        summed: dict[str, dict[str, int]] = {}
        for row in analytic.rows:
            figures = pairs(row)
            assert [figures[f"{p}_{s}"] for p in PAIRS[:3] for s in ("debit", "credit")] == reference.get(
                row.account, [0] * 6), row.account
            target = summed.setdefault(row.synthetic, dict.fromkeys(AMOUNT_KEYS, 0))
            for key in AMOUNT_KEYS:
                target[key] += figures[key]
        assert {row.account: pairs(row) for row in synthetic.rows} == summed


async def test_2026_opens_with_the_closing_balances_of_december_2025(ledger):
    for company_id in COMPANIES:
        december = await trial_balance(ledger, company_id, 2025, 1, 12, level="analytic")
        january = await trial_balance(ledger, company_id, 2026, 1, 1, level="analytic")
        closing = {r.account: (bani(r.closing_debit), bani(r.closing_credit)) for r in december.rows}
        opening = {r.account: (bani(r.opening_debit), bani(r.opening_credit)) for r in january.rows}
        assert {a for a, pair in closing.items() if pair != (0, 0)} == {a for a, p in opening.items() if p != (0, 0)}
        for account, pair in opening.items():
            assert pair == closing.get(account, (0, 0)), account
            if account[0] in "67":
                assert pair == (0, 0)


async def test_each_years_result_is_what_the_closing_entries_put_into_121(ledger, demo_path):
    for company_id, year in itertools.product(COMPANIES, (2025, 2026)):
        closed = [closed_into_121(demo_path, company_id, year, month) for month in range(1, 13)]
        discounts = sum(turnover(demo_path, company_id, year, month, side=side, klass=klass, with_closing=False)
                        for month in range(1, 13) for side, klass in (("debit", "7"), ("credit", "6")))
        assert discounts > 0  # 709 and 609 lines: a one-sided revenue or expense would miss them
        for month in (1, 7, 12):
            board = await dashboard(ledger, company_id, year, month)
            assert bani(board.current.result) == closed[month - 1]
            assert bani(board.year_to_date.result) == sum(closed[:month])
            balance = await trial_balance(ledger, company_id, year, 1, month, level="synthetic")
            row_121 = next(r for r in balance.rows if r.account == "121")
            opening_121 = bani(row_121.opening_credit) - bani(row_121.opening_debit)
            # 121 ends the month with the year's result; last year's result, opened in 121, went to 1171
            assert bani(row_121.closing_credit) - bani(row_121.closing_debit) == sum(closed[:month])
            if year == 2026:
                assert opening_121 == sum(closed_into_121(demo_path, company_id, 2025, m) for m in range(1, 13))
            else:
                assert opening_121 == 0


async def test_the_dashboard_series_reaches_back_into_2025(ledger, demo_path):
    board = await dashboard(ledger, 2, 2026, 3)
    assert [(p.year, p.month) for p in board.series] == [(2025, m) for m in range(4, 13)] + [(2026, 1), (2026, 2),
                                                                                             (2026, 3)]
    for point in board.series:
        expected = revenue_and_expenses(demo_path, 2, point.year, point.month)
        assert (bani(point.revenue), bani(point.expenses)) == expected
