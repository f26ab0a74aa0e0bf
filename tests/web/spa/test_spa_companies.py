"""A user of one company: the picker offers only that company, and a URL naming another company shows theirs
(the app puts their company in the URL), never the other company's figures."""

from __future__ import annotations

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_viewer_of_one_company_cannot_pick_another(spa_server, pages):
    viewer = spa_server.api(spa_server.viewer)
    companies = viewer.get("/api/companies")
    assert [company["id"] for company in companies] == [spa_kit.VIEWER_COMPANY]
    other = spa_kit.COMPANY
    status, problem = viewer.call("GET", "/api/reports/dashboard", company_id=other, year=spa_kit.YEAR, month=6)
    assert status == 403, problem

    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.viewer,
                   path=f"/reports/dashboard?company={other}&year={spa_kit.YEAR}&month=6")
    page.wait_for_function("want => new URL(location.href).searchParams.get('company') === want",
                           arg=str(spa_kit.VIEWER_COMPANY))
    picker = page.get_by_test_id("company-picker")
    options = picker.locator("option")
    assert options.evaluate_all("els => els.map(e => e.value)") == [str(spa_kit.VIEWER_COMPANY)]
    assert options.first.inner_text().strip() == companies[0]["name"]
    assert picker.input_value() == str(spa_kit.VIEWER_COMPANY)

    # the KPIs are the viewer's company's, for the month asked for
    query = spa_kit.url_query(page)
    assert (query["year"], query["month"]) == (str(spa_kit.YEAR), "6")
    own = viewer.get("/api/reports/dashboard", company_id=spa_kit.VIEWER_COMPANY, year=spa_kit.YEAR, month=6)
    assert spa_kit.ro_number(spa_kit.testid_text(page, "kpi-revenue")) == spa_kit.money(own["current"]["revenue"])
    others = spa_server.api(spa_server.operator).get("/api/reports/dashboard", company_id=other,
                                                         year=spa_kit.YEAR, month=6)
    assert spa_kit.money(others["current"]["revenue"]) != spa_kit.money(own["current"]["revenue"])
