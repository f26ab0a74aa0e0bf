"""`/api/reports/...`: dashboard, invoices, aging, treasury and trial balance, served from the cache.

Each handler: validate the query (its model is the report's in `roa2web.reports.registry`), check
the company, ask the report service, reply with the cached bytes. Replies carry X-Cache,
X-Cache-Age, ETag and Cache-Control: private; If-None-Match -> 304.
"""

from __future__ import annotations

from quart import Blueprint, Response
from quart_schema import document_response, validate_querystring

from roa2web.blueprints.common import problems, runtime
from roa2web.blueprints.reports.replies import cached_reply
from roa2web.blueprints.reports.schemas import (
    AgingOut,
    CacheHeaders,
    DashboardOut,
    InvoicePageOut,
    TreasuryOut,
    TrialBalanceOut,
)
from roa2web.reports.params import ReportParams
from roa2web.reports.registry import cached_report
from roa2web.reports.service import ReportService
from roa2web.web.guards import ensure_company

blueprint = Blueprint("reports", __name__, url_prefix="/api/reports")


def reports() -> ReportService:
    """The cached report service of this app."""
    return runtime().reports


async def _serve(report: str, query: ReportParams) -> Response:
    """What every report route does: check the company, then reply from the cache."""
    ensure_company(query.company_id)
    return cached_reply(await reports().get(report, query.model_dump()))


@blueprint.get("/dashboard")
@validate_querystring(cached_report("dashboard").params)
@document_response(DashboardOut, 200, CacheHeaders)
@problems(400, 401, 403, 404, 503)
async def get_dashboard(query_args: ReportParams) -> Response:
    """Dashboard KPIs of one month.

    Revenue and expenses of the month and year to date, result, cash, bank, receivables, payables,
    overdue amounts, VAT position, and a twelve-month series. Revenue is class 7 net of its
    debit-side accounts (credit minus debit turnover: 709 discounts granted reduce it), expenses
    are class 6 net of its credit-side accounts (debit minus credit turnover: 609 discounts
    received reduce them), both without period-closing entries; result = revenue - expenses, the
    amount the closing entries put into 121. Served from the report cache; If-None-Match with the
    ETag gives 304.
    """
    return await _serve("dashboard", query_args)


@blueprint.get("/invoices")
@validate_querystring(cached_report("invoices").params)
@document_response(InvoicePageOut, 200, CacheHeaders)
@problems(400, 401, 403, 404, 503)
async def get_invoices(query_args: ReportParams) -> Response:
    """Sales or purchase invoices, a page at a time.

    Filtered by status, partner and issue dates, with payments up to `as_of` (default today), in
    (issue_date, invoice_id) order; pass `next_cursor` back as `cursor`. Totals cover every page.
    """
    return await _serve("invoices", query_args)


@blueprint.get("/invoices/aging")
@validate_querystring(cached_report("invoices_aging").params)
@document_response(AgingOut, 200, CacheHeaders)
@problems(400, 401, 403, 404, 503)
async def get_invoice_aging(query_args: ReportParams) -> Response:
    """Aging of open invoices per partner and in total.

    Open balances at `as_of` in buckets: not due, 1-30, 31-60, 61-90 and over 90 days past the due
    date (basis due_date) or the issue date (basis issue_date).
    """
    return await _serve("invoices_aging", query_args)


@blueprint.get("/treasury")
@validate_querystring(cached_report("treasury").params)
@document_response(TreasuryOut, 200, CacheHeaders)
@problems(400, 401, 403, 404, 503)
async def get_treasury(query_args: ReportParams) -> Response:
    """Cash and bank accounts over a date range.

    Each account (analytic level) and the totals: opening, receipts, payments and closing
    (= opening + receipts - payments). The range must lie inside one fiscal year.
    """
    return await _serve("treasury", query_args)


@blueprint.get("/trial-balance")
@validate_querystring(cached_report("trial_balance").params)
@document_response(TrialBalanceOut, 200, CacheHeaders)
@problems(400, 401, 403, 404, 503)
async def get_trial_balance(query_args: ReportParams) -> Response:
    """Trial balance (balanța de verificare) for a range of months.

    The five debit/credit pairs: opening, previous turnover, current turnover, total amounts and
    closing, for months month_from..month_to of a year, at synthetic or analytic level; in the
    totals every debit equals its credit.

    Closing balances: a posting account (an analytic, or a synthetic without analytics) closes by
    its function: A in debit, P in credit, B (bifunctional) on the side its net falls, the other
    side 0. Synthetic netting rule: a synthetic row is the plain sum of its analytics for every
    column, closing included; its closing debit and closing credit are the sums of the analytics'
    closing debits and credits, never netted, so synthetic = sum of analytics holds for every pair.
    A synthetic row shows both sides only when its analytics close on different sides: a 473
    (bifunctional) with one analytic in debit and another in credit. A 401 (P) with one supplier
    paid in advance does not: every supplier closes in credit, the one paid in advance with a
    negative credit, so the synthetic's closing credit is the net and its closing debit 0.
    """
    return await _serve("trial_balance", query_args)

