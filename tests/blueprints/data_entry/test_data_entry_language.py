"""What data entry tells the firm's people is Romanian and never an internal name like `total_bani`:
problem titles and details, field messages, the receipt history and the export's header."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import pkgutil
import re

from quart.datastructures import FileStorage

import roa2web.blueprints.data_entry
import roa2web.data_entry
from roa2web.blueprints.data_entry.schemas import ReceiptFieldsIn
from roa2web.data_entry.export.service import HEADER
from roa2web.data_entry.labels import ACTION_LABELS, FIELD_LABELS
from roa2web.data_entry.model import FIELD_NAMES, ReceiptFields, VatLine
from roa2web.data_entry.workflow.validation import closed_period_error, field_errors, missing_for_submission
from roa2web.problems import Problem
from tests.support.data_entry import receipt_payload
from tests.support.romanian import english_words, is_romanian

BASE = "/api/data-entry/receipts"
INTERNAL_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")  # total_bani, receipt_date, supplier_cif...


def reads_romanian(text: str) -> bool:
    """Romanian (no English word of the old messages) and naming no internal field."""
    return is_romanian(text) and not INTERNAL_NAME.search(text)


def _data_entry_problem_classes() -> list[type[Problem]]:
    for package in (roa2web.data_entry, roa2web.blueprints.data_entry):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: list[type[Problem]] = [Problem]
    for cls in found:
        found.extend(sub for sub in cls.__subclasses__() if sub not in found)
    return [cls for cls in found if cls.__module__.startswith(("roa2web.data_entry", "roa2web.blueprints.data_entry"))]


def test_every_title_data_entry_gives_its_problems_is_romanian():
    classes = _data_entry_problem_classes()
    assert {cls.__name__ for cls in classes} >= {"UploadRejected", "UploadTooLarge", "OcrUnavailable", "NotFound",
                                                 "Forbidden", "Conflict", "ValidationFailed"}
    own = [cls for cls in classes if "title" in vars(cls)]  # the others keep the generic kind's (roa2web.problems)
    assert {cls.__name__ for cls in own} >= {"UploadRejected", "UploadTooLarge", "OcrUnavailable"}
    assert [(cls.__name__, cls.title) for cls in own if not reads_romanian(cls.title)] == []
    assert [cls.__name__ for cls in classes if cls.public_detail and not reads_romanian(cls.public_detail)] == []


def test_every_receipt_field_and_history_action_has_a_romanian_label():
    assert set(FIELD_NAMES) | set(ReceiptFieldsIn.model_fields) <= set(FIELD_LABELS)
    assert [label for label in (*FIELD_LABELS.values(), *ACTION_LABELS.values()) if not reads_romanian(label)] == []


def test_field_messages_are_romanian_and_name_no_internal_field():
    broken = ReceiptFields(supplier_cif="RO12345678", receipt_date=dt.date(2025, 7, 1), total_bani=-1,
                           expense_account="5311", settlement_account="4111",
                           vat_lines=(VatLine(21, 1000, 5), VatLine(11, -1, 0)))
    future = ReceiptFields(receipt_date=dt.date(2025, 12, 31))
    errors = [*field_errors(broken, today=dt.date(2025, 12, 1)), *field_errors(future, today=dt.date(2025, 12, 1)),
              *missing_for_submission(ReceiptFields()), closed_period_error()]
    assert {error.type for error in errors} >= {
        "cif_invalid", "date_in_future", "total_not_positive", "account_invalid", "settlement_account_invalid",
        "vat_rate_invalid", "vat_line_negative", "vat_mismatch", "vat_lines_total_mismatch", "missing",
        "period_closed"}
    assert [(error.loc, error.msg) for error in errors if not reads_romanian(error.msg)] == []


def test_the_export_header_is_romanian():
    assert [column for column in HEADER if not reads_romanian(column)] == []


def _file(data: bytes) -> dict[str, FileStorage]:
    return {"file": FileStorage(io.BytesIO(data), filename="bon.jpg", content_type="image/jpeg")}


async def _problem(response, status: int) -> dict:
    assert response.status_code == status, await response.get_data(as_text=True)
    body = await response.get_json()
    assert reads_romanian(body["detail"]), body  # the generic kinds' titles are roa2web.problems' (tested there)
    assert [e["msg"] for e in body.get("errors", []) if not reads_romanian(e["msg"])] == [], body
    return body


async def test_the_problems_data_entry_answers_with_read_romanian(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    await _problem(await de_client.get(f"{BASE}/{'0' * 32}", headers=ana), 404)
    invalid = await _problem(await de_client.post(BASE, json=receipt_payload(
        supplier_cif="RO12345678", expense_account="5311", receipt_date="2025-11-20", total=374.11), headers=ana),
        400)
    assert len(invalid["errors"]) >= 3
    empty = (await (await de_client.post(BASE, json={"company_id": 2}, headers=carmen)).get_json())["id"]
    not_ready = await _problem(await de_client.post(f"{BASE}/{empty}/submit", json={}, headers=carmen), 400)
    assert {tuple(e["loc"]) for e in not_ready["errors"]} >= {("total",), ("receipt_date",)}
    await _problem(await de_client.post(f"{BASE}/{empty}/approve", json={}, headers=bogdan), 409)
    await _problem(await de_client.post(f"{BASE}/{empty}/attachments", files=_file(b"not a photo"), headers=carmen),
                   415)
    await _problem(await de_client.get(f"{BASE}/{empty}/entries", headers=carmen), 409)
    mine = (await (await de_client.post(BASE, json=receipt_payload(), headers=carmen)).get_json())["id"]
    await de_client.post(f"{BASE}/{mine}/submit", json={}, headers=carmen)
    await _problem(await de_client.post(f"{BASE}/{mine}/approve", json={}, headers=carmen), 403)
    await _problem(await de_client.get(BASE, query_string={"cursor": "???"}, headers=ana), 400)
    ocr_off = await de_client.post("/api/data-entry/ocr", form={"company_id": "2"}, files={
        "photo": FileStorage(io.BytesIO(b"x"), filename="bon.jpg")}, headers=ana)
    await _problem(ocr_off, 503)


async def test_the_receipt_history_reads_romanian(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = (await (await de_client.post(BASE, json=receipt_payload(), headers=ana)).get_json())["id"]
    await de_client.patch(f"{BASE}/{receipt_id}", json={"notes": "motorină"}, headers=ana)
    await de_client.post(f"{BASE}/{receipt_id}/submit", json={}, headers=ana)
    await de_client.post(f"{BASE}/{receipt_id}/reject", json={"reason": "lipsește CIF-ul firmei"}, headers=bogdan)
    await de_client.post(f"{BASE}/{receipt_id}/submit", json={}, headers=ana)
    await de_client.post(f"{BASE}/{receipt_id}/approve", json={}, headers=bogdan)
    history = (await (await de_client.get(f"{BASE}/{receipt_id}/history", headers=ana)).get_json())["items"]
    assert [entry["action"] for entry in history] == ["create", "update", "submit", "reject", "submit", "approve"]
    assert [entry["description"] for entry in history if not reads_romanian(entry["description"])] == []
    assert english_words(" ".join(entry["comment"] or "" for entry in history)) == set()
