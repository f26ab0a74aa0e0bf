"""The trial balance of a year: the ten totals on the page are the API's; its XLSX export from the page reaches
100 %, downloads, and is a real workbook holding those totals."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shown_totals(page) -> dict[str, Decimal]:
    """The ten `tb-total-<column>` cells as numbers."""
    return {column: spa_kit.ro_number(spa_kit.testid_text(page, f"tb-total-{column}")) for column in spa_kit.AMOUNTS}


def test_the_totals_equal_the_apis(spa_server, pages, shoot):
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator,
                   path=f"/reports/trial-balance?company={spa_kit.COMPANY}&{spa_kit.YEAR_QUERY}")
    shown = shown_totals(page)
    query = spa_kit.trial_balance_query(page)
    assert query["company_id"] == str(spa_kit.COMPANY)
    assert (query["year"], query["month_from"], query["month_to"]) == (str(spa_kit.YEAR), "1", "12")
    api = spa_server.api(spa_server.operator)
    expected = api.get("/api/reports/trial-balance", **query)
    assert shown == {column: spa_kit.money(expected["totals"][column]) for column in spa_kit.AMOUNTS}
    assert shown["total_debit"] == shown["total_credit"] > 0
    # at 1366 px, beside the sidebar, the ten amount columns fit: no sideways scroll for the last pair
    assert page.evaluate("window.innerWidth") == spa_kit.DESKTOP["width"] == 1366
    scroll_width, client_width = page.get_by_test_id("trial-balance").locator("xpath=..").evaluate(
        "wrap => [wrap.scrollWidth, wrap.clientWidth]")
    assert scroll_width <= client_width, f"the table scrolls sideways: {scroll_width} px in {client_width} px"
    shoot(page, "trial-balance")


def test_the_xlsx_export_reaches_100_and_downloads_a_workbook(spa_server, xlsx_export):
    assert xlsx_export.progress == 100
    assert xlsx_export.state_text, "the export shows no message"
    assert xlsx_export.filename.endswith(".xlsx"), xlsx_export.filename
    archive = zipfile.ZipFile(io.BytesIO(xlsx_export.content))
    assert "xl/workbook.xml" in archive.namelist()
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_export.content), read_only=True, data_only=True)
    numbers = {spa_kit.money(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
               for cell in row if isinstance(cell, int | float) and not isinstance(cell, bool)}
    workbook.close()
    expected = spa_server.api(spa_server.operator).get("/api/reports/trial-balance", **xlsx_export.api_query)
    totals = {spa_kit.money(expected["totals"][column]) for column in spa_kit.AMOUNTS}
    assert totals <= numbers, f"the workbook lacks the totals {sorted(totals - numbers)}"
