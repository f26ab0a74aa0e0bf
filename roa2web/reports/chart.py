"""The chart of accounts as the reports see it: names, functions, synthetics, leaves.

Also the account rules the reports share: which accounts are off-balance, which side a
closing balance goes to, and the account groups behind the dashboard KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.ledger.base import Ledger

CASH = frozenset({"5311", "5314"})
BANK = frozenset({"5121", "5124", "5125"})
RECEIVABLES = frozenset({"4111", "4118"})
PAYABLES = frozenset({"401", "404", "408"})
VAT_PAYABLE = "4423"
VAT_REFUNDABLE = "4424"
CASH_AND_BANK = CASH | BANK

FUNCTIONS = frozenset({"A", "P", "B"})


@dataclass(frozen=True, slots=True)
class Account:
    """One row of the company's chart (r2w_accounts)."""

    account: str
    name: str
    function: str  # 'A', 'P' or 'B'
    synthetic: str
    parent: str | None
    is_analytic: bool
    partner_id: int | None


@dataclass(frozen=True, slots=True)
class Chart:
    """A company's chart, by account code."""

    accounts: dict[str, Account]

    def synthetic_of(self, account: str) -> str:
        """The synthetic account `account` belongs to (its code before the dot when unknown)."""
        known = self.accounts.get(account)
        return known.synthetic if known else account.split(".", 1)[0]

    def name_of(self, account: str) -> str:
        """The account's name, or '' when the chart does not know it."""
        known = self.accounts.get(account)
        return known.name if known else ""

    def function_of(self, account: str) -> str:
        """A, P or B: the account's own, else its synthetic's, else B (either side)."""
        for code in (account, self.synthetic_of(account)):
            known = self.accounts.get(code)
            if known and known.function in FUNCTIONS:
                return known.function
        return "B"

    def leaves(self) -> frozenset[str]:
        """Posting accounts: analytics, and accounts nothing else hangs from."""
        synthetics_with_analytics = {
            a.synthetic for a in self.accounts.values() if a.is_analytic and a.synthetic != a.account
        }
        parents = {a.parent for a in self.accounts.values() if a.parent}
        return frozenset(
            code
            for code, a in self.accounts.items()
            if a.is_analytic or (code not in synthetics_with_analytics and code not in parents)
        )


async def load_chart(ledger: Ledger, company_id: int) -> Chart:
    """Read the company's chart from the ledger."""
    rows = await ledger.fetch("reports.accounts", company_id=company_id)
    return Chart(
        {
            str(r["account"]): Account(
                account=str(r["account"]),
                name=str(r["name"] or ""),
                function=str(r["function"] or "B").upper(),
                synthetic=str(r["synthetic"] or str(r["account"]).split(".", 1)[0]),
                parent=str(r["parent"]) if r["parent"] else None,
                is_analytic=bool(r["is_analytic"]),
                partner_id=int(r["partner_id"]) if r["partner_id"] is not None else None,
            )
            for r in rows
        }
    )


def is_off_balance(account: str) -> bool:
    """Class 80 accounts (conturi în afara bilanțului) are single entry: kept out of balances."""
    return account.startswith("80")


def closing_sides(function: str, total_debit: int, total_credit: int) -> tuple[int, int]:
    """(closing debit, closing credit) of one posting account from its total amounts.

    A: debit = TS_D - TS_C (negative when the account is, wrongly, in credit);
    P: credit = TS_C - TS_D; B (and unknown): the net on whichever side it falls.
    """
    net = total_debit - total_credit
    if function == "A":
        return net, 0
    if function == "P":
        return 0, -net
    return (net, 0) if net > 0 else (0, -net)
