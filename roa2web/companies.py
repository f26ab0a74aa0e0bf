"""Companies a user may see, and a company's accounting calendar (domain; no HTTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roa2web.auth.principal import Principal
from roa2web.ledger.base import Ledger


@dataclass(frozen=True)
class Company:
    """A company of the ledger."""

    id: int
    name: str
    cif: str
    vat_payer: bool


@dataclass(frozen=True)
class Period:
    """One accounting month."""

    year: int
    month: int
    closed: bool


@dataclass(frozen=True)
class Calendar:
    """A company's periods and its current (first open) one."""

    years: list[int]
    periods: list[Period]
    current: tuple[int, int]


async def all_companies(ledger: Ledger) -> list[Company]:
    """Every company in the ledger."""
    rows = await ledger.fetch("companies.all")
    return [Company(int(r["company_id"]), r["name"], r["cif"], bool(r["vat_payer"])) for r in rows]


async def companies_for(ledger: Ledger, principal: Principal) -> list[Company]:
    """The companies `principal` has rights on."""
    return [c for c in await all_companies(ledger) if principal.may_see_company(c.id)]


async def calendar_of(ledger: Ledger, company_id: int, *, today: dt.date) -> Calendar:
    """The company's months; current = the first open month, else the month after the last closed."""
    rows = await ledger.fetch("periods.for_company", company_id=company_id)
    periods = [Period(int(r["year"]), int(r["month"]), bool(r["closed"])) for r in rows]
    open_periods = [(p.year, p.month) for p in periods if not p.closed]
    if open_periods:
        current = open_periods[0]
    elif periods:
        last = periods[-1]
        current = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    else:
        current = (today.year, today.month)
    return Calendar(sorted({p.year for p in periods}), periods, current)


async def is_period_closed(ledger: Ledger, company_id: int, day: dt.date) -> bool:
    """True when the month of `day` is locked for `company_id`."""
    calendar = await calendar_of(ledger, company_id, today=day)
    return any(p.closed for p in calendar.periods if (p.year, p.month) == (day.year, day.month))
