"""The dashboard's KPIs are the API's figures for the company, year and month in the page's URL."""

from __future__ import annotations

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KPIS = {"kpi-revenue": ("current", "revenue"), "kpi-expenses": ("current", "expenses"),
        "kpi-result": ("current", "result"), "kpi-cash": ("cash",), "kpi-bank": ("bank",)}


def shown_and_expected(page, api: spa_kit.ApiClient) -> tuple[dict, dict, dict]:
    """The KPIs on the page, the API's for the company/year/month the page shows, and that query."""
    page.get_by_test_id("kpi-revenue").wait_for()
    page.wait_for_load_state("networkidle")
    query = spa_kit.page_filters(page, spa_kit.DASHBOARD_FILTERS)
    dashboard = api.get("/api/reports/dashboard", **query)
    expected = {}
    for testid, path in KPIS.items():
        value = dashboard
        for key in path:
            value = value[key]
        expected[testid] = spa_kit.money(value)
    shown = {testid: spa_kit.ro_number(spa_kit.testid_text(page, testid)) for testid in KPIS}
    return shown, expected, query


def test_the_kpis_equal_the_apis_figures(spa_server, pages, shoot):
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator, path=f"/reports/dashboard?company={spa_kit.COMPANY}")
    api = spa_server.api(spa_server.operator)
    shown, expected, query = shown_and_expected(page, api)
    assert query["company_id"] == str(spa_kit.COMPANY)
    assert shown == expected
    shoot(page, "dashboard")
    # a month chosen through the URL: another month's figures, the API's too
    page.goto(f"{spa_server.base}/reports/dashboard?company={spa_kit.COMPANY}&year={spa_kit.YEAR}&month=6")
    page.wait_for_function("() => new URL(location.href).searchParams.get('month') === '6'")
    page.wait_for_load_state("networkidle")
    shown, expected, query = shown_and_expected(page, api)
    assert (query["year"], query["month"]) == (str(spa_kit.YEAR), "6")
    assert shown == expected
    assert expected["kpi-revenue"] != 0  # a month with sales: the comparison is not of zeros
