"""Every page once in a screenshot (desktop 1366×900; the receipt pages also at phone width 390×844), each opened
without an error box and with its Romanian title; the flows' own tests add the pages they walk through."""

from __future__ import annotations

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = {"invoices": "/reports/invoices", "aging": "/reports/aging", "treasury": "/reports/treasury"}
RECEIPT_PAGES = {"receipts": "/data-entry/receipts", "receipt-new": "/data-entry/receipts/new"}


def open_page(page, base: str, path: str) -> str:
    """Go to PATH of the company, wait until it has loaded; its heading."""
    separator = "&" if "?" in path else "?"
    page.goto(f"{base}{path}{separator}company={spa_kit.COMPANY}")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("error")
    assert errors.count() == 0 or not errors.first.is_visible(), f"{path}: {errors.first.inner_text()}"
    assert page.title().endswith("· ROA2WEB"), page.title()
    return heading.inner_text().strip()


def test_the_report_pages(spa_server, pages, shoot):
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator, path=f"/reports/dashboard?company={spa_kit.COMPANY}")
    for name, path in REPORTS.items():
        assert open_page(page, spa_server.base, path), path
        assert page.locator("table tbody tr").count() > 0, f"{path} shows no table rows"
        shoot(page, name)


def test_the_receipt_pages_on_desktop_and_phone(spa_server, pages, shoot):
    for prefix, viewport in (("", spa_kit.DESKTOP), ("phone-", spa_kit.PHONE)):
        page = pages.new(viewport)
        spa_kit.log_in(page, spa_server.base, spa_server.operator,
                       path=f"/data-entry/receipts?company={spa_kit.COMPANY}")
        for name, path in RECEIPT_PAGES.items():
            assert open_page(page, spa_server.base, path), path
            shoot(page, prefix + name)
            assert spa_kit.overflow(page) == [], f"{path} is wider than {viewport['width']} px"
