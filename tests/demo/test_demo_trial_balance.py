"""Trial-balance invariants 2-5 and 12 of §9, computed with plain SQL over the generated file."""

from __future__ import annotations

from collections import defaultdict

from tests.demo.demo_sql import COLUMNS, TrialRow, closing_balance


def _ranges(months: list[int]) -> list[tuple[int, int]]:
    """Every single month, every 1..M, and a few ranges starting mid-year."""
    last = months[-1]
    ranges = {(m, m) for m in months} | {(1, m) for m in months}
    ranges |= {(a, last) for a in (2, 4, 7) if a <= last} | {(a, b) for a, b in ((2, 5), (3, 9)) if b <= last}
    return sorted(ranges)


def _periods(case):
    for company_id in case.db.company_ids():
        for year in case.db.years(company_id):
            yield company_id, year, case.db.months(company_id, year)


def test_the_five_equalities_hold_for_every_month_and_range(case):
    checked = 0
    for company_id, year, months in _periods(case):
        for first, last in _ranges(months):
            table = case.db.trial_balance(company_id, year, first, last)
            for column in COLUMNS:
                debit = sum(getattr(row, column)[0] for row in table.values())
                credit = sum(getattr(row, column)[1] for row in table.values())
                assert debit == credit, (company_id, year, first, last, column)
            assert sum(row.rc[0] for row in table.values()) > 0
            checked += 1
    assert checked >= 3 * len(case.db.months(1, case.memory.periods[0][0]))


def test_totals_are_opening_plus_turnover_and_previous_turnover_is_the_sum_of_months(case):
    for company_id, year, months in _periods(case):
        monthly = {m: case.db.turnover(company_id, year, m, m) for m in months}
        opening = case.db.opening(company_id, year)
        for first in months:
            table = case.db.trial_balance(company_id, year, first, months[-1])
            whole = case.db.turnover(company_id, year, 1, months[-1])
            for account, row in table.items():
                for side in (0, 1):
                    assert row.ts[side] == row.si[side] + row.rp[side] + row.rc[side]
                    assert row.ts[side] == opening.get(account, (0, 0))[side] + whole.get(account, (0, 0))[side]
                    previous = sum(monthly[m].get(account, (0, 0))[side] for m in months if m < first)
                    assert row.rp[side] == previous, (account, first)


def test_closing_balances_sit_on_the_side_the_account_allows(case):
    for company_id, year, months in _periods(case):
        functions = {a: row[0] for a, row in case.db.accounts(company_id).items()}
        for month in months:
            for account, row in case.db.trial_balance(company_id, year, month, month).items():
                debit, credit = row.sf
                if functions[account] == "B":
                    assert debit >= 0 and credit >= 0 and (debit == 0 or credit == 0), account
                else:  # A and P accounts never end a month on the wrong side (no overdraft, no overpayment)
                    assert debit >= 0 and credit >= 0, (company_id, year, month, account, row.sf)


def test_synthetic_accounts_are_the_sum_of_their_analytics(case):
    for company_id, year, months in _periods(case):
        accounts = case.db.accounts(company_id)
        for first, last in ((1, months[-1]), (months[-1], months[-1])):
            leaf = case.db.trial_balance(company_id, year, first, last)
            summed: dict[str, dict[str, list[int]]] = defaultdict(lambda: {c: [0, 0] for c in COLUMNS[:4]})
            analytic_sf: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for account, row in leaf.items():
                synthetic = accounts[account][1]
                for column in COLUMNS[:4]:
                    for side in (0, 1):
                        summed[synthetic][column][side] += getattr(row, column)[side]
                analytic_sf[synthetic][0] += row.sf[0]
                analytic_sf[synthetic][1] += row.sf[1]
            grouped = case.db.rows(
                """SELECT a.synthetic,
                          SUM(CASE WHEN l.debit_account = a.account THEN l.amount_bani ELSE 0 END),
                          SUM(CASE WHEN l.credit_account = a.account THEN l.amount_bani ELSE 0 END)
                   FROM r2w_journal_lines l JOIN r2w_accounts a
                     ON a.company_id = l.company_id AND a.account IN (l.debit_account, l.credit_account)
                   WHERE l.company_id = ? AND l.period_year = ? AND l.period_month BETWEEN ? AND ?
                   GROUP BY a.synthetic""", company_id, year, first, last)
            for synthetic, debit, credit in grouped:
                assert [debit, credit] == summed[synthetic]["rc"], synthetic
            for synthetic, columns in summed.items():
                ts = tuple(columns["ts"])
                netted = closing_balance(accounts[synthetic][0], ts)  # type: ignore[arg-type]
                # No analytic sits on the wrong side, so netting at synthetic level and summing the
                # analytics' debit and credit balances give the same closing balance.
                assert netted == tuple(analytic_sf[synthetic]), synthetic


def test_classes_6_and_7_are_closed_into_121_every_month(case):
    for company_id, year, months in _periods(case):
        for month in months:
            table = case.db.trial_balance(company_id, year, 1, month)
            for account, row in table.items():
                if account[0] in "67":
                    assert row.sf == (0, 0) and row.ts[0] == row.ts[1], (account, month)
            revenue, expenses = case.db.rows(
                """SELECT
                     SUM(CASE WHEN credit_account LIKE '7%' THEN amount_bani ELSE 0 END)
                     - SUM(CASE WHEN debit_account LIKE '7%' THEN amount_bani ELSE 0 END),
                     SUM(CASE WHEN debit_account LIKE '6%' THEN amount_bani ELSE 0 END)
                     - SUM(CASE WHEN credit_account LIKE '6%' THEN amount_bani ELSE 0 END)
                   FROM r2w_journal_lines
                   WHERE company_id = ? AND period_year = ? AND period_month <= ? AND doc_type <> 'CLOSING'""",
                company_id, year, month)[0]
            result = table.get("121", TrialRow())
            assert result.sf[1] - result.sf[0] == revenue - expenses, (company_id, year, month)
            assert revenue > 0 and expenses > 0


def test_next_year_opens_with_decembers_closing_balances(two_years):
    db = two_years.db
    first_year = two_years.memory.periods[0][0]
    for company_id in db.company_ids():
        december = db.trial_balance(company_id, first_year, 12, 12)
        carried = {a: row.sf for a, row in december.items() if row.sf != (0, 0)}
        assert all(account[0] in "12345" for account in carried)
        assert db.opening(company_id, first_year + 1) == carried
        assert carried.get("121", (0, 0))[1] > 0  # the first year's profit is carried, then moved to 1171
        moved = db.rows("SELECT debit_account, credit_account, amount_bani FROM r2w_journal_lines "
                        "WHERE company_id = ? AND doc_type = 'RESULT'", company_id)
        assert moved == [("121", "1171", carried["121"][1])]
