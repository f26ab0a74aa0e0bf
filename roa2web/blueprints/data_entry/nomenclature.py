"""`/api/data-entry/nomenclature`: partners, expense accounts (class 6) and VAT rates by date."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint
from quart_schema import validate_querystring, validate_response

from roa2web.blueprints.common import problems
from roa2web.blueprints.data_entry.common import data_entry
from roa2web.bounds import Int64
from roa2web.data_entry.workflow.nomenclature import vat_rates
from roa2web.data_entry.workflow.rules import READ_ROLES
from roa2web.dates import IsoDate
from roa2web.dates import today as firm_today
from roa2web.web.guards import ensure_company, require_roles

blueprint = Blueprint("data_entry_nomenclature", __name__, url_prefix="/api/data-entry/nomenclature")


class SearchQuery(BaseModel):
    """A company and an optional search text."""

    company_id: Int64
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=500)


class NomenclaturePartnerOut(BaseModel):
    """A ledger partner."""

    partner_id: int
    name: str
    cif: str | None
    kind: str = Field(description="C customer, S supplier, E employee")


class PartnerList(BaseModel):
    """Matching partners, by name."""

    items: list[NomenclaturePartnerOut]


class AccountOut(BaseModel):
    """An expense account."""

    account: str
    name: str
    is_analytic: bool


class AccountList(BaseModel):
    """Matching expense accounts, by code."""

    items: list[AccountOut]


class RatesQuery(BaseModel):
    """The day the rates are for (default today)."""

    date: IsoDate | None = None


class VatRateOut(BaseModel):
    """A VAT rate (0 = 0% or exempt)."""

    rate: int
    label: str


class VatRateList(BaseModel):
    """The rates in force on `date`, standard first."""

    date: str
    items: list[VatRateOut]


@blueprint.get("/partners")
@require_roles(*READ_ROLES)
@validate_querystring(SearchQuery)
@validate_response(PartnerList, 200)
@problems(400, 401, 403, 404, 503)
async def partners(query_args: SearchQuery) -> PartnerList:
    """Partners whose name contains `q` or whose CIF starts with it."""
    ensure_company(query_args.company_id)
    found = await data_entry().nomenclature.search_partners(query_args.company_id, query_args.q,
                                                            limit=query_args.limit)
    return PartnerList(items=[NomenclaturePartnerOut(partner_id=p.partner_id, name=p.name, cif=p.cif, kind=p.kind)
                              for p in found])


@blueprint.get("/accounts")
@require_roles(*READ_ROLES)
@validate_querystring(SearchQuery)
@validate_response(AccountList, 200)
@problems(400, 401, 403, 404, 503)
async def accounts(query_args: SearchQuery) -> AccountList:
    """Expense accounts (class 6) whose code starts with `q` or whose name contains it."""
    ensure_company(query_args.company_id)
    found = await data_entry().nomenclature.search_accounts(query_args.company_id, query_args.q,
                                                            limit=query_args.limit)
    return AccountList(items=[AccountOut(account=a.account, name=a.name, is_analytic=a.is_analytic) for a in found])


@blueprint.get("/vat-rates")
@require_roles(*READ_ROLES)
@validate_querystring(RatesQuery)
@validate_response(VatRateList, 200)
@problems(400, 401, 403)
async def rates(query_args: RatesQuery) -> VatRateList:
    """VAT rates valid on a date: 19/9/5 before 2025-08-01, 21/11 from then, and 0 (exempt)."""
    day = query_args.date or firm_today()
    return VatRateList(date=day.isoformat(), items=[VatRateOut(rate=r.rate, label=r.label) for r in vat_rates(day)])
