"""Companies a user may see, and a company's accounting calendar (domain; no HTTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roa2web.auth.principal import Principal
from roa2web.ledger.base import Ledger
from roa2web.problems import NotFound


class CompanyNotFound(NotFound):
    """The ledger has no such company (asked only for a caller with rights on it: the others get a 403 first)."""

    kind = "company-not-found"

    @classmethod
    def of(cls, company_id: int) -> CompanyNotFound:
        """The error for `company_id`, in the words people read."""
        return cls(f"Firma {company_id} nu există în contabilitate.")


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


async def ensure_company_exists(ledger: Ledger, company_id: int) -> None:
    """CompanyNotFound unless the ledger has `company_id`."""
    if not any(company.id == company_id for company in await all_companies(ledger)):
        raise CompanyNotFound.of(company_id)


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


async def company_calendar(ledger: Ledger, company_id: int, *, today: dt.date) -> Calendar:
    """`calendar_of` a company the ledger has: CompanyNotFound when it has none (asked only when no month is)."""
    calendar = await calendar_of(ledger, company_id, today=today)
    if not calendar.periods:
        await ensure_company_exists(ledger, company_id)
    return calendar


async def is_period_closed(ledger: Ledger, company_id: int, day: dt.date) -> bool:
    """True when the month of `day` is locked for `company_id`."""
    calendar = await calendar_of(ledger, company_id, today=day)
    return any(p.closed for p in calendar.periods if (p.year, p.month) == (day.year, day.month))
