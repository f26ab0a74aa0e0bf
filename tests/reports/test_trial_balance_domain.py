"""Trial balance: the five equalities, the closing rule, synthetic = Σ analytics, filters, errors."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from report_books import FixtureLedger
from report_reference import bani, leaf_figures, result_of_month
from report_scenario import Scenario

from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import ReportParameterError, trial_balance
from roa2web.reports.trial_balance import AMOUNT_KEYS, PAIRS

RANGES = [(a, b) for a in range(1, 13) for b in range(a, 13)]


def amounts(row: Any) -> dict[str, int]:
    """The ten amounts of a row or of the totals, in bani."""
    return {key: bani(getattr(row, key)) for key in AMOUNT_KEYS}


def assert_balanced(report: Any) -> None:
    """Totals = Σ rows, and every debit total equals its credit total."""
    totals = amounts(report.totals)
    summed = {key: sum(amounts(row)[key] for row in report.rows) for key in AMOUNT_KEYS}
    assert totals == summed
    for pair in PAIRS:
        assert totals[f"{pair}_debit"] == totals[f"{pair}_credit"], (pair, report.month_from, report.month_to)
    assert totals["opening_debit"] > 0 and totals["current_debit"] > 0


async def test_five_equalities_hold_for_every_month_range_and_level(ledger: EmbeddedLedger, scenario: Scenario):
    for company_id, level, (month_from, month_to) in itertools.product(scenario.companies, ("synthetic", "analytic"),
                                                                       RANGES):
        report = await trial_balance(ledger, company_id, scenario.year, month_from, month_to, level=level)
        assert_balanced(report)
        for row in report.rows:
            figures = amounts(row)
            for side in ("debit", "credit"):
                assert figures[f"total_{side}"] == sum(figures[f"{pair}_{side}"] for pair in PAIRS[:3])


@pytest.mark.parametrize("month_range", [(1, 1), (1, 12), (3, 5), (7, 7), (6, 12), (12, 12)])
async def test_posting_accounts_match_a_line_by_line_reference(ledger, scenario, month_range):
    month_from, month_to = month_range
    for company_id in scenario.companies:
        report = await trial_balance(ledger, company_id, scenario.year, month_from, month_to, level="analytic")
        reference = leaf_figures(scenario.path, company_id, scenario.year, month_from, month_to)
        by_account = {row.account: row for row in report.rows}
        assert {a for a, f in reference.items() if any(f) and not a.startswith("80")} <= set(by_account)
        for account, row in by_account.items():
            figures = amounts(row)
            expected = reference.get(account, [0] * 6)
            assert [figures[f"{pair}_{side}"] for pair in PAIRS[:3] for side in ("debit", "credit")] == expected
            net = figures["total_debit"] - figures["total_credit"]
            if row.function == "A":
                assert (figures["closing_debit"], figures["closing_credit"]) == (net, 0)
            elif row.function == "P":
                assert (figures["closing_debit"], figures["closing_credit"]) == (0, -net)
            else:
                assert (figures["closing_debit"], figures["closing_credit"]) == (max(net, 0), max(-net, 0))


async def test_previous_turnover_is_the_current_turnover_of_the_months_before(ledger, scenario):
    for company_id, month_from in itertools.product(scenario.companies, range(2, 13)):
        later = await trial_balance(ledger, company_id, scenario.year, month_from, 12, level="analytic")
        earlier = await trial_balance(ledger, company_id, scenario.year, 1, month_from - 1, level="analytic")
        before = {row.account: amounts(row) for row in earlier.rows}
        for row in later.rows:
            figures = amounts(row)
            assert figures["previous_debit"] == before[row.account]["current_debit"]
            assert figures["previous_credit"] == before[row.account]["current_credit"]


@pytest.mark.parametrize("month_range", [(1, 1), (1, 12), (2, 6), (11, 12)])
async def test_synthetic_rows_are_the_sum_of_their_analytics(ledger, scenario, month_range):
    month_from, month_to = month_range
    for company_id in scenario.companies:
        analytic = await trial_balance(ledger, company_id, scenario.year, month_from, month_to, level="analytic")
        synthetic = await trial_balance(ledger, company_id, scenario.year, month_from, month_to, level="synthetic")
        summed: dict[str, dict[str, int]] = {}
        for row in analytic.rows:
            target = summed.setdefault(row.synthetic, dict.fromkeys(AMOUNT_KEYS, 0))
            for key, value in amounts(row).items():
                target[key] += value
        assert {row.account: amounts(row) for row in synthetic.rows} == summed
        assert amounts(synthetic.totals) == amounts(analytic.totals)
        assert any(row.account != row.synthetic for row in analytic.rows)


async def test_synthetic_closing_keeps_analytic_debit_and_credit_balances_apart(ledger, scenario):
    report = await trial_balance(ledger, 1, scenario.year, 1, 12, level="synthetic")
    detail = await trial_balance(ledger, 1, scenario.year, 1, 12, level="analytic", account_prefix="473")
    row = next(r for r in report.rows if r.account == "473")
    debit_side = next(r for r in detail.rows if r.account == "473.01")
    credit_side = next(r for r in detail.rows if r.account == "473.02")
    assert bani(debit_side.closing_debit) > 0 and bani(credit_side.closing_credit) > 0
    assert row.closing_debit == debit_side.closing_debit and row.closing_credit == credit_side.closing_credit


async def test_a_401_with_a_supplier_paid_in_advance_nets_while_a_473_shows_both_sides(tmp_path):
    """The README's example: a P synthetic nets (its analytics all close in credit), a B one may not."""
    book = FixtureLedger(tmp_path / "sides.sqlite")
    book.company(1, "A SRL", "RO19", True)
    for code, name, function in (("401", "Furnizori", "P"), ("401.00001", "FURNIZOR 1", "P"),
                                 ("401.00002", "FURNIZOR 2 (plătit în avans)", "P"), ("473", "Clarificări", "B"),
                                 ("473.01", "Clarificări debit", "B"), ("473.02", "Clarificări credit", "B"),
                                 ("5121", "Bancă", "A")):
        book.account(1, code, name, function)
    for account, debit, credit in (("401.00001", 0, 1_000_00), ("401.00002", 300_00, 0), ("473.01", 50_00, 0),
                                   ("473.02", 0, 50_00), ("5121", 700_00, 0)):
        book.opening(1, 2025, account, debit, credit)
    book.period(1, 2025, 1, False)
    book.close()
    ledger = EmbeddedLedger(tmp_path / "sides.sqlite")
    try:
        synthetic = await trial_balance(ledger, 1, 2025, 1, 1, level="synthetic")
        analytic = await trial_balance(ledger, 1, 2025, 1, 1, level="analytic")
    finally:
        await ledger.close()
    closing = {r.account: (bani(r.closing_debit), bani(r.closing_credit)) for r in synthetic.rows}
    assert closing["401"] == (0, 700_00)  # nets: no debit side although a supplier was paid in advance
    assert closing["473"] == (50_00, 50_00)  # both sides: its analytics close on different sides
    detail = {r.account: (bani(r.closing_debit), bani(r.closing_credit)) for r in analytic.rows}
    assert detail["401.00002"] == (0, -300_00)  # a P analytic closes in credit, negative when in advance
    assert synthetic.totals.closing_debit == synthetic.totals.closing_credit == 750


async def test_bifunctional_accounts_close_on_one_side_only(ledger, scenario):
    for company_id, month_to in itertools.product(scenario.companies, range(1, 13)):
        report = await trial_balance(ledger, company_id, scenario.year, 1, month_to, level="analytic")
        for row in report.rows:
            if row.function == "B":
                assert row.closing_debit == 0 or row.closing_credit == 0, row


async def test_classes_6_and_7_have_no_balance_after_closing_and_121_holds_the_result(ledger, scenario):
    for company_id in scenario.companies:
        profit = 0
        for month in range(1, scenario.months + 1):
            profit += result_of_month(scenario.path, company_id, scenario.year, month)
            report = await trial_balance(ledger, company_id, scenario.year, 1, month)
            results = [r for r in report.rows if r.account[0] in "67"]
            closing = [(bani(r.closing_debit), bani(r.closing_credit)) for r in results]
            if month < scenario.months:  # closed month: 6/7 were closed into 121
                assert all(pair == (0, 0) for pair in closing)
                assert all(r.total_debit == r.total_credit for r in results)
                row_121 = next(r for r in report.rows if r.account == "121")
                assert bani(row_121.closing_credit) - bani(row_121.closing_debit) == profit
            else:  # the open month still carries its revenue and expenses
                assert any(pair != (0, 0) for pair in closing)


async def test_off_balance_and_parent_only_accounts_are_left_out(ledger, scenario):
    for level in ("synthetic", "analytic"):
        report = await trial_balance(ledger, 1, scenario.year, 1, 1, level=level)
        accounts = {row.account for row in report.rows}
        assert not any(account.startswith("80") for account in accounts)
        assert "411" not in accounts and "4111" in {row.synthetic for row in report.rows}
        assert report.totals.opening_debit == report.totals.opening_credit


async def test_hide_zero_drops_only_empty_rows_and_prefix_keeps_matching_rows(ledger, scenario):
    full = await trial_balance(ledger, 2, scenario.year, 1, 3, level="analytic")
    assert any(all(v == 0 for v in amounts(row).values()) for row in full.rows)  # 4424/5124-like empty leaves
    shown = await trial_balance(ledger, 2, scenario.year, 1, 3, level="analytic", hide_zero=True)
    assert [r for r in full.rows if any(amounts(r).values())] == shown.rows
    assert shown.totals == full.totals
    prefixed = await trial_balance(ledger, 2, scenario.year, 1, 3, level="analytic", account_prefix="4111")
    assert prefixed.rows == [r for r in full.rows if r.account.startswith("4111")] and prefixed.rows
    assert bani(prefixed.totals.total_debit) == sum(bani(r.total_debit) for r in prefixed.rows)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"month_from": 5, "month_to": 4}, "month_from"),
        ({"month_from": 0, "month_to": 4}, "month_from"),
        ({"month_from": 1, "month_to": 13}, "month_to"),
        ({"month_from": 1, "month_to": 2, "level": "partner"}, "level"),
        ({"month_from": 1, "month_to": 2, "account_prefix": "  "}, "account_prefix"),
        ({"month_from": 1, "month_to": 2, "year": 1066}, "year"),
        ({"month_from": 1, "month_to": 2, "company_id": 0}, "company_id"),
        ({"month_from": "1", "month_to": 2}, "month_from"),
    ],
)
async def test_bad_parameters_raise_report_parameter_error(ledger, kwargs, field):
    params = {"company_id": 1, "year": 2025, **kwargs}
    with pytest.raises(ReportParameterError) as error:
        await trial_balance(ledger, **params)
    assert error.value.field == field
    assert ledger.queries == 0
