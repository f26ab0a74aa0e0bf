"""One path per request: a check added to a report route holds whether the cache is cold or warm.

The issue's drift hole: with a second path for memory hits, a role added to a route was enforced
on a cold cache and skipped once another user had warmed it. Here each report route gets
`require_roles("viewer")` in a test app, and an operator is refused before and after a viewer warms it.
"""

from __future__ import annotations

import pytest
from quart_schema.validation import QUART_SCHEMA_QUERYSTRING_ATTRIBUTE
from reports_api_helpers import CLOSED_TB, YEAR, url

from roa2web.reports.registry import cached_report, cached_report_names
from roa2web.web.guards import require_roles

ROUTES = {  # view -> (path under /api/reports, a query that builds)
    "get_dashboard": ("dashboard", {"company_id": 1, "year": YEAR, "month": 11}),
    "get_invoices": ("invoices", {"company_id": 1, "status": "all"}),
    "get_invoice_aging": ("invoices/aging", {"company_id": 1, "as_of": f"{YEAR}-11-30"}),
    "get_treasury": ("treasury", {"company_id": 1, "date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-11-30"}),
    "get_trial_balance": ("trial-balance", CLOSED_TB),
}


@pytest.mark.parametrize("view", list(ROUTES))
async def test_a_role_added_to_a_report_route_holds_on_a_cold_and_a_warm_cache(app, client, user_headers, view):
    endpoint = f"reports.{view}"
    app.view_functions[endpoint] = require_roles("viewer")(app.view_functions[endpoint])
    path, params = ROUTES[view]
    report = url(path, **params)
    viewer = await user_headers("vera", roles={"viewer"}, company_ids={1})
    operator = await user_headers("otto", roles={"operator"}, company_ids={1})

    cold = await client.get(report, headers=operator)
    assert cold.status_code == 403 and (await cold.get_json())["type"].endswith("/role-forbidden")
    assert "X-Cache" not in cold.headers

    warming = await client.get(report, headers=viewer)
    warm = await client.get(report, headers=viewer)
    assert (warming.status_code, warming.headers["X-Cache"]) == (200, "MISS")
    assert (warm.status_code, warm.headers["X-Cache"]) == (200, "HIT-L1")

    for extra in ({}, {"If-None-Match": warm.headers["ETag"]}):
        refused = await client.get(report, headers=operator | extra)
        assert refused.status_code == 403 and (await refused.get_json())["type"].endswith("/role-forbidden")
        assert "X-Cache" not in refused.headers and refused.headers["X-Request-ID"]


def test_one_route_per_cached_report_validates_the_registry_s_query_model(app):
    served = {path.replace("/", "_").replace("-", "_"): view for view, (path, _) in ROUTES.items()}
    assert sorted(served) == cached_report_names()
    for report, view in served.items():
        querystring = getattr(app.view_functions[f"reports.{view}"], QUART_SCHEMA_QUERYSTRING_ATTRIBUTE)
        assert querystring is cached_report(report).params
