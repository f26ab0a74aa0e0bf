"""Trial balance (balanța de verificare), 5 series of equalities.

Columns, each a debit/credit pair: opening (SI, balances at 1 January), previous (RP,
turnover of months 1..month_from-1), current (RC, months month_from..month_to), total
(TS = SI + RP + RC) and closing (SF).

Closing rule, per posting account, by its function: A -> closing_debit = TS_D - TS_C
(negative when an asset account is in credit, which is then visible as an anomaly);
P -> closing_credit = TS_C - TS_D; B -> the net on the side it falls, the other side 0.

Synthetic netting rule: a synthetic row is the plain sum of its posting accounts for every
column, closing included: its closing debit is the sum of its analytics' closing debits and
its closing credit the sum of their closing credits, never netted against each other (a 473
with one analytic in debit and one in credit shows both). So synthetic = Σ analytics holds
for every column pair, and since every posting account has closing_debit - closing_credit =
TS_D - TS_C, the totals' closing pair balances exactly whenever the ledger does.

Rows: level 'analytic' lists posting accounts (analytics, and synthetics without analytics);
level 'synthetic' one row per synthetic. Chart leaves without figures are listed with zeros
unless `hide_zero`, which drops rows whose every amount is zero (so it never changes the
totals). Class 80 off-balance accounts (single entry) are left out. `account_prefix` keeps
the rows whose code starts with it; the totals are the sum of the listed rows, so they
balance for the whole chart, not necessarily for a prefix.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

from roa2web.ledger.base import Ledger
from roa2web.reports.chart import Chart, closing_sides, is_off_balance, load_chart
from roa2web.reports.errors import ReportParameterError, check_choice, check_month, check_positive_id, check_year
from roa2web.reports.money import to_money

LEVELS = ("synthetic", "analytic")
PAIRS = ("opening", "previous", "current", "total", "closing")
AMOUNT_KEYS = tuple(f"{pair}_{side}" for pair in PAIRS for side in ("debit", "credit"))


@dataclass(frozen=True, slots=True)
class Figures:
    """The ten amounts of one line, in integer bani."""

    opening_debit: int = 0
    opening_credit: int = 0
    previous_debit: int = 0
    previous_credit: int = 0
    current_debit: int = 0
    current_credit: int = 0
    total_debit: int = 0
    total_credit: int = 0
    closing_debit: int = 0
    closing_credit: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, k) + getattr(other, k) for k in AMOUNT_KEYS))

    def is_zero(self) -> bool:
        """True when every amount is zero."""
        return not any(getattr(self, k) for k in AMOUNT_KEYS)

    def money(self) -> dict[str, Decimal]:
        """The amounts as Decimals with two places, by column key."""
        return {k: to_money(getattr(self, k)) for k in AMOUNT_KEYS}


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    """One line of the trial balance; money is Decimal with two places."""

    account: str
    name: str
    function: str
    synthetic: str
    opening_debit: Decimal
    opening_credit: Decimal
    previous_debit: Decimal
    previous_credit: Decimal
    current_debit: Decimal
    current_credit: Decimal
    total_debit: Decimal
    total_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


@dataclass(frozen=True, slots=True)
class TrialBalanceTotals:
    """Column totals; every debit equals its credit for a balanced ledger."""

    opening_debit: Decimal
    opening_credit: Decimal
    previous_debit: Decimal
    previous_credit: Decimal
    current_debit: Decimal
    current_credit: Decimal
    total_debit: Decimal
    total_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """The trial balance of one company for months month_from..month_to of year."""

    company_id: int
    year: int
    month_from: int
    month_to: int
    level: str
    rows: list[TrialBalanceRow]
    totals: TrialBalanceTotals


def account_figures(function: str, row: dict[str, int]) -> Figures:
    """Figures of one posting account from its opening and turnover (bani), closing by function."""
    od, oc = int(row["opening_debit"] or 0), int(row["opening_credit"] or 0)
    pd, pc = int(row["previous_debit"] or 0), int(row["previous_credit"] or 0)
    cd, cc = int(row["current_debit"] or 0), int(row["current_credit"] or 0)
    td, tc = od + pd + cd, oc + pc + cc
    sd, sc = closing_sides(function, td, tc)
    return Figures(od, oc, pd, pc, cd, cc, td, tc, sd, sc)


async def posting_figures(
    ledger: Ledger, company_id: int, year: int, month_from: int, month_to: int
) -> tuple[Chart, dict[str, Figures]]:
    """The chart and the figures of every posting account (off-balance excluded), in bani."""
    chart, rows = await asyncio.gather(
        load_chart(ledger, company_id),
        ledger.fetch(
            "reports.trial_balance",
            company_id=company_id,
            fiscal_year=year,
            month_from=month_from,
            month_to=month_to,
        ),
    )
    figures = {code: Figures() for code in chart.leaves()}
    for row in rows:
        code = str(row["account"])
        figures[code] = account_figures(chart.function_of(code), row)
    return chart, {code: f for code, f in figures.items() if not is_off_balance(code)}


def _validate(company_id: int, year: int, month_from: int, month_to: int, level: str) -> None:
    check_positive_id("company_id", company_id)
    check_year("year", year)
    check_month("month_from", month_from)
    check_month("month_to", month_to)
    if month_from > month_to:
        raise ReportParameterError("month_from",
                                   f"Luna de început ({month_from}) este după luna de sfârșit ({month_to})")
    check_choice("level", level, LEVELS)


async def trial_balance(
    ledger: Ledger,
    company_id: int,
    year: int,
    month_from: int,
    month_to: int,
    level: str = "synthetic",
    account_prefix: str | None = None,
    hide_zero: bool = False,
) -> TrialBalance:
    """The 5-equality trial balance for months month_from..month_to of `year` (see module doc)."""
    _validate(company_id, year, month_from, month_to, level)
    if account_prefix is not None and not (account_prefix.strip() and len(account_prefix) <= 40):
        raise ReportParameterError("account_prefix", "Trebuie să fie începutul unui cont (cifre), nevid")
    chart, leaves = await posting_figures(ledger, company_id, year, month_from, month_to)
    if level == "synthetic":
        lines: dict[str, Figures] = {}
        for code, figures in leaves.items():
            synthetic = chart.synthetic_of(code)
            lines[synthetic] = lines.get(synthetic, Figures()) + figures
    else:
        lines = leaves
    rows: list[TrialBalanceRow] = []
    totals = Figures()
    for code in sorted(lines):
        figures = lines[code]
        if account_prefix and not code.startswith(account_prefix):
            continue
        if hide_zero and figures.is_zero():
            continue
        totals += figures
        rows.append(
            TrialBalanceRow(
                account=code,
                name=chart.name_of(code),
                function=chart.function_of(code),
                synthetic=chart.synthetic_of(code),
                **figures.money(),
            )
        )
    return TrialBalance(company_id, year, month_from, month_to, level, rows, TrialBalanceTotals(**totals.money()))
