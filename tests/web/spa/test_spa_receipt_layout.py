"""The receipt pages on a phone and a desktop: the receipts list is a card per receipt on a phone (date, supplier,
total and state in sight without a sideways scroll); on the receipt page no field reached with the keyboard ends up
under the sticky action bar or the sticky header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECEIPTS = "/data-entry/receipts"
# The focused element, the action bar and the header, in viewport coordinates.
FOCUS_BOXES = """() => {
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom};
  };
  const el = document.activeElement;
  const bar = document.querySelector('[data-testid=receipt-actions]');
  const header = document.querySelector('.topbar');
  const sticky = (node) => node && getComputedStyle(node).position === 'sticky';
  return {testid: el.dataset.testid || el.id || el.tagName.toLowerCase(), tag: el.tagName.toLowerCase(),
          field: box(el), bar: sticky(bar) ? box(bar) : null, header: sticky(header) ? box(header) : null,
          height: window.innerHeight};
}"""


def draft(spa_server, number: str) -> dict[str, Any]:
    """A complete DRAFT of the operator's, two VAT lines, dated in an open month of the test ledger."""
    return spa_server.api(spa_server.operator).post("/api/data-entry/receipts", {
        "company_id": spa_kit.COMPANY, "supplier_name": "MAGAZINUL DE BIROTICĂ ȘI PAPETĂRIE UNIVERSAL SRL",
        "supplier_cif": "RO12345674", "document_number": number, "receipt_date": "2026-01-22",
        "payment_method": "card", "total": "374.10", "expense_account": "6028",
        "vat_lines": [{"rate": 21, "base": "300.00", "vat": "63.00"}, {"rate": 11, "base": "10.00", "vat": "1.10"}]})


def hidden_behind(seen: dict[str, Any]) -> str | None:
    """Which sticky bar covers the focused element ('bar', 'header'), or 'off screen'; None when it is in sight.

    A textarea counts by its first line (where the caret is): the browser scrolls only that into view.
    """
    top, bottom = seen["field"]["top"], seen["field"]["bottom"]
    if seen["tag"] == "textarea":
        bottom = min(bottom, top + 32)
    bar, header = seen["bar"], seen["header"]
    if bar and bottom > bar["top"] + 1 and top < bar["bottom"] - 1:
        return "bar"
    if header and top < header["bottom"] - 1:
        return "header"
    if top < 0 or bottom > seen["height"]:
        return "off screen"
    return None


def test_the_receipts_list_is_a_card_per_receipt_on_a_phone(spa_server, pages, shoot):
    receipt = draft(spa_server, "L-390")
    for viewport in (spa_kit.PHONE, spa_kit.DESKTOP):
        page = pages.new(viewport)
        spa_kit.log_in(page, spa_server.base, spa_server.operator, path=f"{RECEIPTS}?company={spa_kit.COMPANY}")
        row = page.get_by_test_id(f"receipt-{receipt['id']}")
        row.wait_for()
        width = viewport["width"]
        for cell in (row.locator("td.r-date a"), row.locator("td.r-supplier a"), row.locator("td.r-total"),
                     row.get_by_test_id("receipt-state")):
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, cell, box)
            assert cell.is_visible()
        assert spa_kit.ro_number(row.locator("td.r-total").inner_text()) == spa_kit.money("374.10")
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), f"the list scrolls sideways at {width} px"
        assert "Ana" in row.locator("td.r-creator").inner_text()  # the display name
        header_shown = page.locator("[data-testid=receipts-table] thead").is_visible()
        total_size = row.locator("td.r-total").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        cif_size = row.locator("td.r-cif").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        if viewport is spa_kit.PHONE:
            assert not header_shown and cif_size < total_size, (cif_size, total_size)
            assert row.locator("td.r-cif").inner_text() == "RO12345674"
            assert "CIF" in row.locator("td.r-cif").evaluate("el => getComputedStyle(el, '::before').content")
            shoot(page, "phone-receipts-cards")
            row.locator("td.r-supplier a").click()
            page.wait_for_url(f"**{RECEIPTS}/{receipt['id']}?company={spa_kit.COMPANY}")
            page.get_by_test_id("field-total").wait_for()
        else:
            assert header_shown and row.locator("td").count() == 7
        assert spa_kit.overflow(page) == [], f"wider than {width} px"


@pytest.mark.parametrize("viewport", [spa_kit.PHONE, spa_kit.DESKTOP], ids=["phone", "desktop"])
def test_no_field_reached_by_keyboard_is_under_a_sticky_bar(spa_server, pages, screenshot_dir: Path, viewport):
    receipt = draft(spa_server, f"K-{viewport['width']}")
    page = pages.new(viewport)
    spa_kit.log_in(page, spa_server.base, spa_server.operator,
                   path=f"{RECEIPTS}/{receipt['id']}?company={spa_kit.COMPANY}")
    page.get_by_test_id("action-submit").wait_for()
    page.get_by_test_id("field-supplier_name").focus()
    visited, covered = [], []
    for _ in range(60):  # forward through the form to the notes, then back to the first field
        page.keyboard.press("Tab")
        seen = page.evaluate(FOCUS_BOXES)
        visited.append(seen["testid"])
        if (why := hidden_behind(seen)) is not None:
            covered.append((seen["testid"], why, seen))
        if seen["testid"] == "field-vat_lines-0-rate":
            page.screenshot(path=str(screenshot_dir / f"receipt-vat-focus-{viewport['width']}.png"))
        if seen["testid"] == "field-notes":
            break
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        seen = page.evaluate(FOCUS_BOXES)
        if (why := hidden_behind(seen)) is not None:
            covered.append((seen["testid"], why, seen))
        if seen["testid"] == "field-supplier_name":
            break
    assert {"field-vat_lines-0-rate", "field-vat_lines-0-base", "field-vat_lines-0-vat", "field-vat_lines-1-vat",
            "field-notes"} <= set(visited), visited
    assert covered == [], covered
