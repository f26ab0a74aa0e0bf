"""Partners, expense accounts, companies and VAT rates for data entry, read from the ledger.

Kept in memory for a while (TTL), with one ledger query per key however many callers miss at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache

from roa2web.accounting.cif import is_ascii_digits, normalize_cif
from roa2web.accounting.vat import vat_rates_on
from roa2web.companies import Company, CompanyNotFound, all_companies
from roa2web.ledger.base import Ledger


@dataclass(frozen=True, slots=True)
class Partner:
    """A ledger partner; `cif` as printed (RO prefix kept)."""

    partner_id: int
    name: str
    cif: str | None
    kind: str

    @property
    def cif_digits(self) -> str | None:
        """The CIF without RO, spaces or punctuation."""
        return normalize_cif(self.cif)[0] if self.cif else None


@dataclass(frozen=True, slots=True)
class ExpenseAccount:
    """A class 6 account of a company's chart."""

    account: str
    name: str
    is_analytic: bool


@dataclass(frozen=True, slots=True)
class VatRate:
    """A VAT rate in force on a day, with a label for pickers."""

    rate: int
    label: str


def vat_rates(day: dt.date) -> list[VatRate]:
    """The rates valid on `day`: standard first, 0 meaning 0% or exempt."""
    return [VatRate(rate, f"{rate}%" if rate else "0% / scutit") for rate in vat_rates_on(day)]


def _folded(text: str) -> str:
    return " ".join(text.upper().split())


class Nomenclature:
    """TTL-cached lookups over the ledger, shared by the HTTP routes and the OCR job."""

    def __init__(self, ledger: Ledger, *, ttl_s: float, max_entries: int = 512) -> None:
        self.ledger = ledger
        self._cache: TTLCache[tuple[Any, ...], Any] = TTLCache(maxsize=max_entries, ttl=ttl_s)
        self._lock = threading.Lock()
        self._inflight: dict[tuple[Any, ...], asyncio.Future[Any]] = {}

    async def _cached(self, key: tuple[Any, ...], load: Callable[[], Awaitable[Any]]) -> Any:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await load()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
            raise
        else:
            with self._lock:
                self._cache[key] = value
            future.set_result(value)
            return value
        finally:
            del self._inflight[key]

    def invalidate(self) -> None:
        """Forget every cached answer."""
        with self._lock:
            self._cache.clear()

    async def companies(self) -> dict[int, Company]:
        """Every company of the ledger by id."""

        async def load() -> dict[int, Company]:
            return {company.id: company for company in await all_companies(self.ledger)}

        result: dict[int, Company] = await self._cached(("companies",), load)
        return result

    async def company(self, company_id: int) -> Company | None:
        """One company (None when the ledger does not know it)."""
        return (await self.companies()).get(company_id)

    async def ensure_company(self, company_id: int) -> None:
        """CompanyNotFound unless the ledger has `company_id` (from the cached list of companies)."""
        if await self.company(company_id) is None:
            raise CompanyNotFound.of(company_id)

    async def partners(self, company_id: int) -> list[Partner]:
        """Every partner of a company, by name."""

        async def load() -> list[Partner]:
            rows = await self.ledger.fetch("nomenclature.partners", company_id=company_id)
            return [Partner(int(r["partner_id"]), r["name"], r["cif"], r["kind"]) for r in rows]

        result: list[Partner] = await self._cached(("partners", company_id), load)
        return result

    async def partner(self, company_id: int, partner_id: int) -> Partner | None:
        """One partner of a company."""
        return next((p for p in await self.partners(company_id) if p.partner_id == partner_id), None)

    async def search_partners(self, company_id: int, query: str | None, *, limit: int = 50) -> list[Partner]:
        """Partners whose name contains `query` or whose CIF starts with it (RO and spaces ignored).

        CompanyNotFound when the ledger has no such company.
        """
        await self.ensure_company(company_id)
        partners = await self.partners(company_id)
        if not query:
            return partners[:limit]
        name_part = _folded(query)
        cif_part = normalize_cif(query)[0]
        return [
            p for p in partners
            if name_part in _folded(p.name) or (is_ascii_digits(cif_part) and (p.cif_digits or "").startswith(cif_part))
        ][:limit]

    async def expense_accounts(self, company_id: int) -> list[ExpenseAccount]:
        """The class 6 accounts of a company's chart."""

        async def load() -> list[ExpenseAccount]:
            rows = await self.ledger.fetch("nomenclature.expense_accounts", company_id=company_id)
            return [ExpenseAccount(r["account"], r["name"], bool(r["is_analytic"])) for r in rows]

        result: list[ExpenseAccount] = await self._cached(("accounts", company_id), load)
        return result

    async def search_accounts(self, company_id: int, query: str | None, *, limit: int = 50) -> list[ExpenseAccount]:
        """Expense accounts whose code starts with `query` or whose name contains it (CompanyNotFound as above)."""
        await self.ensure_company(company_id)
        accounts = await self.expense_accounts(company_id)
        if not query:
            return accounts[:limit]
        folded = _folded(query)
        return [a for a in accounts if a.account.startswith(query.strip()) or folded in _folded(a.name)][:limit]

    async def supplier_history(self, company_id: int, partner_id: int) -> list[str]:
        """Expense accounts the ledger booked against this supplier, most used first."""

        async def load() -> list[str]:
            rows = await self.ledger.fetch(
                "nomenclature.supplier_expense_accounts", company_id=company_id, partner_id=partner_id)
            return [str(r["account"]) for r in rows]

        result: list[str] = await self._cached(("supplier_history", company_id, partner_id), load)
        return result
