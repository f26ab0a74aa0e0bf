"""Every page once in a screenshot (desktop 1366×900; the receipt pages also at phone width 390×844), each opened
without an error box and with its Romanian title; the flows' own tests add the pages they walk through."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.receipt_content import make_receipt
from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = {"invoices": "/reports/invoices", "aging": "/reports/aging", "treasury": "/reports/treasury"}
PENDING_SEED = 186  # a generated receipt dated 06.01.2026 (an open month): its values, typed in, wait for approval
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


def test_the_approvals_queue_on_a_phone(spa_server, pages, shoot):
    truth, _ = make_receipt(PENDING_SEED)
    operator = spa_server.api(spa_server.operator)
    draft = operator.post("/api/data-entry/receipts", {
        "company_id": spa_kit.COMPANY, "supplier_name": truth.supplier_name, "supplier_cif": truth.supplier_cif,
        "document_number": truth.receipt_number, "receipt_date": truth.date.isoformat(),
        "payment_method": truth.payment_method, "total": str(Decimal(truth.total_bani) / 100),
        "expense_account": "6028",
        "vat_lines": [{"rate": group.rate, "base": str(Decimal(group.base_bani) / 100),
                       "vat": str(Decimal(group.vat_bani) / 100)} for group in truth.vat_groups]})
    assert operator.post(f"/api/data-entry/receipts/{draft['id']}/submit")["state"] == "PENDING"
    page = pages.new(spa_kit.PHONE)
    spa_kit.log_in(page, spa_server.base, spa_server.approver, path=f"/data-entry/approvals?company={spa_kit.COMPANY}")
    card = page.get_by_test_id(f"approval-{draft['id']}")
    card.wait_for()
    assert spa_kit.ro_money_text(Decimal(truth.total_bani) / 100) in card.inner_text()
    assert card.get_by_test_id("approve").is_visible()
    shoot(page, "phone-approvals")
    assert spa_kit.overflow(page) == [], "/data-entry/approvals is wider than a phone"
