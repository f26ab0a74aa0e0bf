"""/api/reports over HTTP on the demo ledger: the numbers, the schemas, 400 and 403."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reports_api_helpers import CLOSED_TB, YEAR, bani, closing_balance, revenue_without_closing, turnover, url

from roa2web import dates
from roa2web.blueprints.reports.schemas import AgingOut, DashboardOut, InvoicePageOut, TreasuryOut, TrialBalanceOut
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import dashboard, invoice_aging, list_invoices, treasury, trial_balance
from roa2web.reports.money import dumps
from roa2web.reports.trial_balance import PAIRS

YEAR_END = dt.date(YEAR, 12, 31)


@pytest.fixture
def settings(settings_factory):
    return settings_factory(ocr_enabled=False)


@pytest.fixture
async def ledger(demo_ledger_path):
    """A ledger of our own for the domain calls the HTTP answers are compared with."""
    own = EmbeddedLedger(demo_ledger_path)
    yield own
    await own.close()


@pytest.fixture
async def viewer(user_headers):
    return await user_headers("ana", roles={"viewer"}, company_ids={1, 2})


async def fetch(client, headers, path, **params):
    response = await client.get(url(path, **params), headers=headers)
    assert response.status_code == 200, await response.get_data()
    assert response.content_type == "application/json"
    return response, await response.get_data()


async def test_trial_balance_matches_the_domain_and_the_journal(client, viewer, ledger, demo_ledger_path):
    for company_id, level, (month_from, month_to) in ((1, "analytic", (1, 11)), (2, "synthetic", (4, 12)),
                                                      (1, "synthetic", (12, 12))):
        params = {"company_id": company_id, "year": YEAR, "month_from": month_from, "month_to": month_to}
        params["level"] = level
        _, body = await fetch(client, viewer, "trial-balance", **params)
        assert body == dumps(await trial_balance(ledger, **params))
        report = TrialBalanceOut.model_validate_json(body)
        for pair in PAIRS:  # the five equalities, exactly
            assert getattr(report.totals, f"{pair}_debit") == getattr(report.totals, f"{pair}_credit"), pair
            for key in (f"{pair}_debit", f"{pair}_credit"):
                assert sum(getattr(row, key) for row in report.rows) == getattr(report.totals, key), key
        expected = turnover(demo_ledger_path, company_id, "debit", month_from, month_to)
        assert bani(report.totals.current_debit) == expected
    assert re.fullmatch(rb"-?\d+\.\d\d", re.search(rb'"closing_debit":([-0-9.]+)', body).group(1))


async def test_synthetic_rows_are_sums_of_analytics(client, viewer):
    params = {"company_id": 2, "year": YEAR, "month_from": 3, "month_to": 8}
    _, analytic = await fetch(client, viewer, "trial-balance", level="analytic", **params)
    _, synthetic = await fetch(client, viewer, "trial-balance", level="synthetic", **params)
    analytic_rows = TrialBalanceOut.model_validate_json(analytic).rows
    for row in TrialBalanceOut.model_validate_json(synthetic).rows:
        members = [a for a in analytic_rows if a.synthetic == row.account]
        assert members, row.account
        for pair in PAIRS:
            for side in ("debit", "credit"):
                key = f"{pair}_{side}"
                assert getattr(row, key) == sum(getattr(member, key) for member in members), (row.account, key)


async def test_treasury_closing_is_opening_plus_receipts_minus_payments(client, viewer, ledger, demo_ledger_path):
    params = {"company_id": 1, "date_from": "2025-01-01", "date_to": "2025-12-31"}
    _, body = await fetch(client, viewer, "treasury", **params)
    assert body == dumps(await treasury(ledger, 1, dt.date(YEAR, 1, 1), YEAR_END))
    report = TreasuryOut.model_validate_json(body)
    assert report.rows
    for row in [*report.rows, report.totals]:
        assert row.closing == row.opening + row.receipts - row.payments
    _, tb_body = await fetch(client, viewer, "trial-balance", company_id=1, year=YEAR, month_from=1, month_to=12,
                             level="analytic")
    tb_rows = TrialBalanceOut.model_validate_json(tb_body).rows
    balances = {r.account: r.closing_debit - r.closing_credit for r in tb_rows}
    for row in report.rows:
        assert row.closing == balances[row.account], row.account
    assert bani(next(r for r in report.rows if r.account.startswith("5311")).closing) == closing_balance(
        demo_ledger_path, 1, "5311", 12
    )


async def test_dashboard_excludes_closing_entries(client, viewer, ledger, demo_ledger_path):
    _, body = await fetch(client, viewer, "dashboard", company_id=1, year=YEAR, month=11)
    assert body == dumps(await dashboard(ledger, 1, YEAR, 11))
    report = DashboardOut.model_validate_json(body)
    assert bani(report.year_to_date.revenue) == revenue_without_closing(demo_ledger_path, 1, 1, 11)
    assert bani(report.current.revenue) == revenue_without_closing(demo_ledger_path, 1, 11, 11)
    assert report.current.result == report.current.revenue - report.current.expenses
    assert bani(report.cash) == closing_balance(demo_ledger_path, 1, "5311", 11) + closing_balance(
        demo_ledger_path, 1, "5314", 11
    )
    assert [(m.year, m.month) for m in report.series][-1] == (YEAR, 11) and len(report.series) == 12


async def test_invoice_pages_return_every_invoice_once(client, viewer, ledger):
    params = {"company_id": 1, "kind": "sales", "status": "all", "as_of": "2025-12-31", "limit": 10}
    seen, cursor, pages = [], None, 0
    while True:
        _, body = await fetch(client, viewer, "invoices", **params, **({"cursor": cursor} if cursor else {}))
        page = InvoicePageOut.model_validate_json(body)
        seen.extend(item.invoice_id for item in page.items)
        pages, cursor = pages + 1, page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == page.totals.count and pages > 1
    first = await list_invoices(ledger, 1, "sales", "all", as_of=YEAR_END, limit=10)
    _, body = await fetch(client, viewer, "invoices", **params)
    assert body == dumps(first)


async def test_aging_buckets_add_up_to_the_open_invoices(client, viewer, ledger):
    for kind in ("sales", "purchases"):
        _, body = await fetch(client, viewer, "invoices/aging", company_id=2, kind=kind, as_of="2025-12-31")
        assert body == dumps(await invoice_aging(ledger, 2, kind, YEAR_END))
        aging = AgingOut.model_validate_json(body)
        for row in [*aging.rows, aging.totals]:
            assert row.total == row.not_due + row.d1_30 + row.d31_60 + row.d61_90 + row.over_90
        _, unpaid = await fetch(client, viewer, "invoices", company_id=2, kind=kind, status="unpaid",
                                as_of="2025-12-31", limit=1)
        assert aging.totals.total == InvoicePageOut.model_validate_json(unpaid).totals.balance > 0


async def test_invoices_as_of_defaults_to_the_firms_today(client, viewer):
    _, body = await fetch(client, viewer, "invoices", company_id=1)
    assert InvoicePageOut.model_validate_json(body).as_of == dates.today()  # Bucharest's day, not the server's


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("trial-balance", {"year": YEAR, "month_from": 1, "month_to": 2}, "company_id"),
        ("trial-balance", {**CLOSED_TB, "month_to": 13}, "month_to"),
        ("trial-balance", {**CLOSED_TB, "month_from": 5, "month_to": 3}, "month_from"),
        ("trial-balance", {**CLOSED_TB, "level": "detailed"}, "level"),
        ("trial-balance", {**CLOSED_TB, "account_prefix": "4'; --"}, "account_prefix"),
        ("dashboard", {"company_id": 1, "year": "abc", "month": 1}, "year"),
        ("invoices", {"company_id": 1, "cursor": "not-a-cursor"}, "cursor"),
        ("invoices", {"company_id": 1, "kind": "refunds"}, "kind"),
        ("invoices", {"company_id": 1, "limit": 0}, "limit"),
        ("invoices/aging", {"company_id": 1, "kind": "sales"}, "as_of"),
        ("treasury", {"company_id": 1, "date_from": "2024-12-01", "date_to": "2025-01-31"}, "date_to"),
        ("treasury", {"company_id": 1, "date_from": "2025-02-01", "date_to": "2025-01-31"}, "date_from"),
        ("treasury", {"company_id": 1, "date_from": "2025-01-01", "date_to": "2025-01-31", "extra": 1}, "extra"),
    ],
)
async def test_bad_parameters_are_400_problems_naming_the_field(client, viewer, path, params, field):
    response = await client.get(url(path, **params), headers=viewer)
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    problem = await response.get_json()
    assert problem["status"] == 400 and problem["request_id"]
    assert field in {loc for error in problem["errors"] for loc in error["loc"]}, problem


async def test_other_companies_are_403_and_cost_no_ledger_query(app, client, viewer):
    ledger = app.extensions["roa2web"].ledger
    before = ledger.queries
    for path, params in (
        ("dashboard", {"company_id": 3, "year": YEAR, "month": 1}),
        ("invoices", {"company_id": 3}),
        ("invoices/aging", {"company_id": 3, "as_of": "2025-06-30"}),
        ("treasury", {"company_id": 3, "date_from": "2025-01-01", "date_to": "2025-03-31"}),
        ("trial-balance", {**CLOSED_TB, "company_id": 3}),
    ):
        response = await client.get(url(path, **params), headers=viewer)
        assert response.status_code == 403, path
        assert (await response.get_json())["type"].endswith("company-forbidden")
    assert ledger.queries == before
    assert (await client.get(url("trial-balance", **CLOSED_TB))).status_code == 401


async def test_openapi_documents_queries_bodies_headers_and_problems(client):
    spec = await (await client.get("/openapi.json")).get_json()
    for path, params in (("dashboard", {"month"}), ("invoices", {"cursor", "limit", "status"}),
                         ("invoices/aging", {"basis"}), ("treasury", {"date_to"}),
                         ("trial-balance", {"level", "account_prefix", "hide_zero"})):
        operation = spec["paths"][f"/api/reports/{path}"]["get"]
        assert params | {"company_id"} <= {p["name"] for p in operation["parameters"]}, path
        responses = operation["responses"]
        assert {"200", "304", "400", "401", "403", "503"} <= set(responses), path
        assert set(responses["200"]["content"]) == {"application/json"}, path  # headers are no media type
        for code in ("200", "304"):
            assert {"x-cache", "x-cache-age", "etag", "cache-control"} <= set(responses[code]["headers"]), path
        assert "content" not in responses["304"]
        assert "If-None-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, path
    for method, path in (("get", "/stats"), ("post", "/invalidate"), ("delete", "")):
        assert {"200", "401", "403"} <= set(spec["paths"][f"/api/reports/cache{path}"][method]["responses"])
