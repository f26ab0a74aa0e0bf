"""A photographed receipt, uploaded through /data-entry/receipts/new, is read by OCR into a filled DRAFT with the
values printed on it; the operator submits it, a second user approves it in /data-entry/approvals, and the
receipt page then shows its accounting entries."""

from __future__ import annotations

import re
import time
import urllib.parse
from decimal import Decimal

import cv2
import numpy as np
import pytest

from tests.support.receipt_images import receipt_sample
from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A phone photo (kind "degraded", as the OCR tests read every field of) dated 22.01.2026: an open month of the
# pinned demo ledger, so OCR keeps the date. Supplier BETA MARKET SRL, two VAT rates, cash, no buyer CIF.
SEED = 102
OCR_WAIT_MS = 120_000  # upload, queue, OCR on a possibly loaded machine


def wait_state(api: spa_kit.ApiClient, receipt_id: str, state: str, timeout_s: float = 90) -> dict:
    """Poll the API until the receipt is in `state`."""
    deadline = time.monotonic() + timeout_s
    while True:
        receipt = api.get(f"/api/data-entry/receipts/{receipt_id}")
        if receipt["state"] == state:
            return dict(receipt)
        assert time.monotonic() < deadline, f"receipt {receipt_id} stayed {receipt['state']}, never {state}"
        time.sleep(0.25)


def field_value(page, name: str) -> str:
    """The value of the form's `field-<name>` input, once OCR has put one there."""
    page.get_by_test_id(f"field-{name}").wait_for()
    page.wait_for_function("name => (document.querySelector(`[data-testid=\"field-${name}\"]`)?.value ?? '') !== ''",
                           arg=name, timeout=OCR_WAIT_MS)
    return str(page.get_by_test_id(f"field-{name}").input_value()).strip()


def click_action(page, testid: str) -> None:
    """Click a workflow action button (by its data-testid)."""
    button = page.get_by_test_id(testid)
    button.wait_for()
    button.click()


def test_a_photographed_receipt_is_read_submitted_and_approved(spa_server, pages, shoot, tmp_path):
    sample = receipt_sample(SEED, "degraded")
    truth = sample.truth
    photo = tmp_path / "bon-fiscal.jpg"
    photo.write_bytes(sample.data)
    spa_kit.wait_ocr_ready(spa_server.base)
    operator = spa_server.api(spa_server.operator)

    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator,
                   path=f"/data-entry/receipts/new?company={spa_kit.COMPANY}")
    page.get_by_test_id("upload-file").wait_for(state="attached")
    shoot(page, "receipt-new")
    page.get_by_test_id("upload-file").set_input_files(str(photo))
    page.wait_for_url(re.compile(r"/data-entry/receipts/(?!new\b)[^/?#]+"), timeout=OCR_WAIT_MS)
    receipt_id = urllib.parse.urlparse(page.url).path.rsplit("/", 1)[1]

    # The form holds what was printed on the receipt (the OCR tests' standard: these fields exactly).
    assert field_value(page, "supplier_cif") == truth.supplier_cif
    assert spa_kit.ro_date_to_iso(field_value(page, "receipt_date")) == truth.date.isoformat()
    assert spa_kit.ro_number(field_value(page, "total")) == Decimal(truth.total_bani) / 100
    receipt = operator.get(f"/api/data-entry/receipts/{receipt_id}")
    assert (receipt["state"], receipt["source"], receipt["company_id"]) == ("DRAFT", "ocr", spa_kit.COMPANY)
    assert (receipt["supplier_cif"], receipt["receipt_date"], spa_kit.money(receipt["total"])) == (
        truth.supplier_cif, truth.date.isoformat(), Decimal(truth.total_bani) / 100)
    assert sorted((line["rate"], spa_kit.money(line["vat"])) for line in receipt["vat_lines"]) == sorted(
        (group.rate, Decimal(group.vat_bani) / 100) for group in truth.vat_groups)
    assert receipt["payment_method"] == truth.payment_method
    assert receipt["expense_account"], "OCR left the expense account empty: the draft is not filled"
    assert len(receipt["attachments"]) == 1
    shoot(page, "receipt-draft")

    click_action(page, "action-submit")
    submitted = wait_state(operator, receipt_id, "PENDING")
    assert submitted["submitted_by"] == receipt["created_by"]
    page.wait_for_function("() => document.querySelector('[data-testid=receipt-state]')?.textContent.trim() === "
                           "'În așteptarea aprobării'")

    approver_page = pages.new()
    spa_kit.log_in(approver_page, spa_server.base, spa_server.approver,
                   path=f"/data-entry/approvals?company={spa_kit.COMPANY}")
    card = approver_page.get_by_test_id(f"approval-{receipt_id}")
    card.wait_for()
    card_text = card.inner_text()
    assert truth.supplier_cif in card_text and spa_kit.ro_money_text(Decimal(truth.total_bani) / 100) in card_text
    shoot(approver_page, "approvals")
    card.get_by_test_id("approve").click()
    approved = wait_state(spa_server.api(spa_server.approver), receipt_id, "APPROVED")
    assert approved["decided_by"] is not None and approved["decided_by"] != receipt["created_by"]
    card.wait_for(state="detached")  # it leaves the queue

    entries = operator.get(f"/api/data-entry/receipts/{receipt_id}/entries")
    total = Decimal(truth.total_bani) / 100
    assert spa_kit.money(entries["total_debit"]) == spa_kit.money(entries["total_credit"]) == total
    page.reload()
    page.get_by_test_id("entries").wait_for()
    assert page.get_by_test_id("receipt-state").inner_text().strip().lower() == "aprobat"
    shown_lines = page.get_by_test_id("entries").locator("tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent.trim()))")
    assert [(debit, credit, spa_kit.ro_number(amount)) for debit, credit, amount, *_ in shown_lines] == [
        (line["debit"], line["credit"], spa_kit.money(line["amount"])) for line in entries["lines"]]
    assert spa_kit.ro_number(spa_kit.testid_text(page, "entries-total")) == total
    shoot(page, "receipt-approved")

    phone = pages.new(spa_kit.PHONE)
    spa_kit.log_in(phone, spa_server.base, spa_server.operator,
                   path=f"/data-entry/receipts/{receipt_id}?company={spa_kit.COMPANY}")
    phone.get_by_test_id("entries").wait_for()
    shoot(phone, "phone-receipt-approved")
    assert spa_kit.overflow(phone) == [], "the receipt page is wider than a phone"


def shaken(photo: bytes, length: int = 61) -> bytes:
    """The photo as a hand shaking sideways would take it: a straight blur `length` pixels long, as a JPEG."""
    pixels = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    kernel = np.full((1, length), 1 / length, np.float32)
    ok, encoded = cv2.imencode(".jpg", cv2.filter2D(pixels, -1, kernel), [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return encoded.tobytes()


def test_a_shaken_photo_is_flagged_for_taking_again(spa_server, pages, shoot, tmp_path):
    photo = tmp_path / "bon-miscat.jpg"
    photo.write_bytes(shaken(receipt_sample(SEED, "degraded").data))
    spa_kit.wait_ocr_ready(spa_server.base)
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator,
                   path=f"/data-entry/receipts/new?company={spa_kit.COMPANY}")
    page.get_by_test_id("upload-file").wait_for(state="attached")
    page.get_by_test_id("upload-file").set_input_files(str(photo))
    page.wait_for_url(re.compile(r"/data-entry/receipts/(?!new\b)[^/?#]+"), timeout=OCR_WAIT_MS)
    advice = page.locator(".ocr-warnings li", has_text="fotografiați-l din nou")
    advice.wait_for(timeout=OCR_WAIT_MS)
    assert "nu s-au putut citi sigur" in advice.inner_text()
    shoot(page, "receipt-shaken-photo")
