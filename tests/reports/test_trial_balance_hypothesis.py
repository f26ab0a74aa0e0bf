"""Trial balance on random demo ledgers (hypothesis): random seeds, lengths and month ranges.

For every company and both levels: the five equalities over the column totals (SI, RP, RC, TS,
SF debit = credit, exactly), TS = SI + RP + RC on every row, RC totals = the journal's turnover
in the range, bifunctional posting accounts close on one side, and synthetic = Σ analytics for
every column pair (the netting rule: closing sides summed, not netted).
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from roa2web.demo import generate_demo_ledger
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import trial_balance
from roa2web.reports.trial_balance import AMOUNT_KEYS, PAIRS

YEAR = 2025


def cents(value) -> int:
    """A report amount (Decimal, two places) in integer bani."""
    return int(value * 100)


def figures(row) -> dict[str, int]:
    return {key: cents(getattr(row, key)) for key in AMOUNT_KEYS}


def journal_turnover(path: Path, company_id: int, month_from: int, month_to: int) -> int:
    """Σ amounts of the double-entry lines in the range (class 8 off-balance lines left out), straight from SQL."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        (total,) = db.execute(
            "SELECT SUM(amount_bani) FROM r2w_journal_lines WHERE company_id = ? AND period_year = ? "
            "AND period_month BETWEEN ? AND ? AND debit_account NOT LIKE '8%' AND credit_account NOT LIKE '8%'",
            (company_id, YEAR, month_from, month_to),
        ).fetchone()
    return int(total or 0)


async def check_ledger(path: Path, ranges: list[tuple[int, int]]) -> None:
    ledger = EmbeddedLedger(path)
    try:
        for company_id in (1, 2, 3):
            for month_from, month_to in ranges:
                analytic = await trial_balance(ledger, company_id, YEAR, month_from, month_to, level="analytic")
                synthetic = await trial_balance(ledger, company_id, YEAR, month_from, month_to, level="synthetic")
                where = (company_id, month_from, month_to)
                for report in (analytic, synthetic):
                    totals = figures(report.totals)
                    for pair in PAIRS:
                        assert totals[f"{pair}_debit"] == totals[f"{pair}_credit"], (pair, report.level, where)
                    for row in report.rows:
                        amounts = figures(row)
                        for side in ("debit", "credit"):
                            assert amounts[f"total_{side}"] == sum(
                                amounts[f"{pair}_{side}"] for pair in ("opening", "previous", "current")), row
                assert figures(analytic.totals)["current_debit"] == journal_turnover(path, *where)
                summed: dict[str, dict[str, int]] = {}
                for row in analytic.rows:
                    if row.function == "B":
                        assert row.closing_debit == 0 or row.closing_credit == 0, (row, where)
                    target = summed.setdefault(row.synthetic, dict.fromkeys(AMOUNT_KEYS, 0))
                    for key, value in figures(row).items():
                        target[key] += value
                assert {row.account: figures(row) for row in synthetic.rows} == summed, where
                assert figures(synthetic.totals) == figures(analytic.totals), where
    finally:
        await ledger.close()


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[int, int, list[tuple[int, int]]]:
    """A seed, a number of months of 2025, and a few month ranges inside them."""
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    months = draw(st.integers(min_value=1, max_value=12))
    month_range = st.tuples(st.integers(1, months), st.integers(1, months)).map(lambda r: (min(r), max(r)))
    ranges = draw(st.lists(month_range, min_size=1, max_size=3, unique=True))
    return seed, months, ranges


@settings(max_examples=25, deadline=None, print_blob=True)
@given(ledgers())
def test_trial_balance_holds_on_random_demo_ledgers(case: tuple[int, int, list[tuple[int, int]]]) -> None:
    seed, months, ranges = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.sqlite"
        summary = generate_demo_ledger(path, seed=seed, until=(YEAR, months), months=months)
        assert summary.companies == 3 and summary.line_count > 0
        asyncio.run(check_ledger(path, ranges))
