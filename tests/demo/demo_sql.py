"""An independent trial-balance calculator over a generated ledger file: plain SQL, no report code."""

from __future__ import annotations

import calendar
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("si", "rp", "rc", "ts", "sf")


@dataclass
class TrialRow:
    """One account's trial-balance line: debit/credit pairs of SI, RP, RC, TS, SF (bani)."""

    si: tuple[int, int] = (0, 0)
    rp: tuple[int, int] = (0, 0)
    rc: tuple[int, int] = (0, 0)
    ts: tuple[int, int] = (0, 0)
    sf: tuple[int, int] = (0, 0)


class LedgerFile:
    """Plain SQL over a generated ledger file; no report code involved."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def rows(self, sql: str, *params: object) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def company_ids(self) -> list[int]:
        return [row[0] for row in self.rows("SELECT company_id FROM r2w_companies ORDER BY company_id")]

    def years(self, company_id: int) -> list[int]:
        return [r[0] for r in self.rows("SELECT DISTINCT year FROM r2w_periods WHERE company_id = ? ORDER BY 1",
                                        company_id)]

    def months(self, company_id: int, year: int) -> list[int]:
        return [r[0] for r in self.rows("SELECT month FROM r2w_periods WHERE company_id = ? AND year = ? ORDER BY 1",
                                        company_id, year)]

    def last_period(self) -> tuple[int, int]:
        return self.rows("SELECT year, month FROM r2w_periods ORDER BY year DESC, month DESC LIMIT 1")[0]

    def as_of(self) -> dt.date:
        year, month = self.last_period()
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    def accounts(self, company_id: int) -> dict[str, tuple[str, str, int, int | None]]:
        """account -> (function, synthetic, is_analytic, partner_id)."""
        return {r[0]: r[1:] for r in self.rows(
            "SELECT account, function, synthetic, is_analytic, partner_id FROM r2w_accounts WHERE company_id = ?",
            company_id)}

    def opening(self, company_id: int, year: int) -> dict[str, tuple[int, int]]:
        return {r[0]: (r[1], r[2]) for r in self.rows(
            "SELECT account, debit_bani, credit_bani FROM r2w_opening_balances "
            "WHERE company_id = ? AND fiscal_year = ?", company_id, year)}

    def turnover(self, company_id: int, year: int, first: int, last: int) -> dict[str, tuple[int, int]]:
        """account -> (debit turnover, credit turnover) over months first..last of a year."""
        if last < first:
            return {}
        rows = self.conn.execute(
            """SELECT account, SUM(d), SUM(c) FROM (
                   SELECT debit_account AS account, amount_bani AS d, 0 AS c FROM r2w_journal_lines
                   WHERE company_id = :c AND period_year = :y AND period_month BETWEEN :a AND :b
                   UNION ALL
                   SELECT credit_account, 0, amount_bani FROM r2w_journal_lines
                   WHERE company_id = :c AND period_year = :y AND period_month BETWEEN :a AND :b)
               GROUP BY account""",
            {"c": company_id, "y": year, "a": first, "b": last},
        ).fetchall()
        return {account: (debit, credit) for account, debit, credit in rows}

    def trial_balance(self, company_id: int, year: int, first: int, last: int) -> dict[str, TrialRow]:
        """Leaf-level 5-series trial balance: SI at 1 Jan, RP months 1..first-1, RC first..last."""
        functions = {account: row[0] for account, row in self.accounts(company_id).items()}
        opening = self.opening(company_id, year)
        previous = self.turnover(company_id, year, 1, first - 1)
        current = self.turnover(company_id, year, first, last)
        table: dict[str, TrialRow] = {}
        for account in sorted(set(opening) | set(previous) | set(current)):
            si, rp, rc = opening.get(account, (0, 0)), previous.get(account, (0, 0)), current.get(account, (0, 0))
            ts = (si[0] + rp[0] + rc[0], si[1] + rp[1] + rc[1])
            table[account] = TrialRow(si, rp, rc, ts, closing_balance(functions[account], ts))
        return table


def closing_balance(function: str, ts: tuple[int, int]) -> tuple[int, int]:
    """SF by function (ROMANIAN_ACCOUNTING.md §2): A on the debit side, P on the credit side, B netted."""
    net = ts[0] - ts[1]
    if function == "A":
        return net, 0
    if function == "P":
        return 0, -net
    return (net, 0) if net > 0 else (0, -net)
