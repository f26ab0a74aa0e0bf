"""Build the whole demo dataset in memory: companies, opening balances, every month, year ends."""

from __future__ import annotations

import datetime as dt

from roa2web.dates import today as firm_today
from roa2web.demo.book import Book
from roa2web.demo.chart import chart_rows, leaf_accounts
from roa2web.demo.closing import carried_balances, result_transfer
from roa2web.demo.companies import (
    CASH_DESK,
    PROFILES,
    USER_COMPANIES,
    CompanyProfile,
    company_analytics,
    company_partners,
)
from roa2web.demo.days import YearMonth, months_until
from roa2web.demo.model import CompanyLedger, DemoLedger
from roa2web.demo.monthly import Volume, run_month
from roa2web.demo.payroll import set_salaries
from roa2web.demo.prng import Prng
from roa2web.demo.receipts import issuers
from roa2web.demo.state import CompanyState

# Stream tags, so that each use of the seed draws from its own sequence.
_PARTNERS, _MONTHS, _SALARIES, _SHOPS = 1, 2, 3, 4
DEFAULT_MONTHS = 24


def default_until(today: dt.date | None = None) -> YearMonth:
    """The last month of the default window: the month of `today` (the firm's today when None)."""
    day = today or firm_today()
    return day.year, day.month


def _company(profile: CompanyProfile, root: Prng, year: int) -> CompanyState:
    company_prng = root.child(profile.company_id)
    partners = company_partners(profile, company_prng.child(_PARTNERS))
    accounts = chart_rows(profile.company_id, vat_payer=profile.vat_payer,
                          analytics=company_analytics(profile, partners))
    book = Book(profile.company_id, leaf_accounts(accounts), never_credit=(CASH_DESK,))
    opening = {account: debit - credit for account, debit, credit in profile.opening}
    if sum(opening.values()) != 0:
        raise ValueError(f"{profile.name}: opening balances do not balance")
    book.open_balances(opening)
    ledger = CompanyLedger(profile, partners, accounts, book, opening={year: opening})
    return CompanyState(ledger, company_prng.child(_MONTHS))


def _start_year(state: CompanyState, root: Prng, year: int, first: bool) -> None:
    """Salaries for the year; after the first year, carry balances forward and move 121 to 1171.

    The first generated month starts a year too, whatever its month: the books open with the
    profile's balances, which stand as that year's 1 January balances.
    """
    set_salaries(state, root.child(state.profile.company_id, _SALARIES, year))
    if first:
        return
    state.ledger.opening[year] = carried_balances(state.book)
    result_transfer(state.book, dt.date(year, 1, 1), f"REP-{year}")


def build_demo_ledger(*, seed: int = 2025, until: YearMonth | None = None, months: int = DEFAULT_MONTHS,
                      lines_per_month: int | None = None, today: dt.date | None = None) -> DemoLedger:
    """Generate the demo ledger in memory; the same arguments always give the same data.

    The window is the `months` months ending with `until` (default: the month of `today`, which
    defaults to the clock's date), so pass `until` for a ledger that does not change with the date.
    Each new year opens with December's closing balances of classes 1-5 and moves the previous
    result from 121 to 1171. The last OPEN_MONTHS months stay open; the months before are locked.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    until = until or default_until(today)
    root = Prng(seed)
    volume = Volume.for_lines(lines_per_month)
    shops = issuers(root.child(_SHOPS))
    periods = months_until(until, months)
    states = [_company(profile, root, periods[0][0]) for profile in PROFILES]
    for index, (period_year, month) in enumerate(periods):
        for state in states:
            if month == 1 or index == 0:
                _start_year(state, root, period_year, first=index == 0)
            run_month(state, period_year, month, volume=volume, months_left=len(periods) - 1 - index, shops=shops)
    return DemoLedger(seed, until, months, periods, [state.ledger for state in states], USER_COMPANIES)
