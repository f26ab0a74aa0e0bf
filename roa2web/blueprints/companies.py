"""`/api/companies` and `/api/calendar`: what the user may see, and its periods."""

from __future__ import annotations

from pydantic import BaseModel, RootModel
from quart import Blueprint
from quart_schema import validate_querystring, validate_response

from roa2web.blueprints.common import problems, runtime
from roa2web.bounds import Int64
from roa2web.companies import companies_for, company_calendar
from roa2web.dates import today as firm_today
from roa2web.web.guards import current_principal, ensure_company

blueprint = Blueprint("companies", __name__, url_prefix="/api")


class CompanyOut(BaseModel):
    """A company of the ledger."""

    id: int
    name: str
    cif: str
    vat_payer: bool


class CompanyList(RootModel[list[CompanyOut]]):
    """The companies the caller may see (a JSON array)."""


class PeriodOut(BaseModel):
    """One accounting month."""

    year: int
    month: int
    closed: bool


class CurrentPeriod(BaseModel):
    """The first open month (or the last month when all are closed)."""

    year: int
    month: int


class CalendarOut(BaseModel):
    """Years and months of a company, which are closed, and the current period."""

    company_id: int
    years: list[int]
    periods: list[PeriodOut]
    current: CurrentPeriod


class CalendarQuery(BaseModel):
    """Which company."""

    company_id: Int64


@blueprint.get("/companies")
@validate_response(CompanyList, 200)
@problems(401, 503)
async def list_companies() -> CompanyList:
    """Only the companies the caller has rights on."""
    companies = await companies_for(runtime().ledger, current_principal())
    return CompanyList([CompanyOut(**company.__dict__) for company in companies])


@blueprint.get("/calendar")
@validate_querystring(CalendarQuery)
@validate_response(CalendarOut, 200)
@problems(400, 401, 403, 404, 503)
async def calendar(query_args: CalendarQuery) -> CalendarOut:
    """Years and months with their closed flag, and the current period (404 for a company the ledger lacks)."""
    ensure_company(query_args.company_id)
    result = await company_calendar(runtime().ledger, query_args.company_id, today=firm_today())
    return CalendarOut(
        company_id=query_args.company_id,
        years=result.years,
        periods=[PeriodOut(**period.__dict__) for period in result.periods],
        current=CurrentPeriod(year=result.current[0], month=result.current[1]),
    )
