"""Forward migrations of the data-entry database keep the receipts an older release stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from roa2web.appdb import AppDatabase, apply_migrations, open_database
from roa2web.data_entry.store import ocr_store, receipt_store
from roa2web.data_entry.store.migrations import MIGRATIONS
from roa2web.data_entry.workflow.entries import paid_from

COMPONENT = "data_entry"


@pytest.fixture
async def database(data_entry_db_url: str | None, tmp_path: Path) -> AsyncIterator[AppDatabase]:
    """An empty data-entry database on the engine under test (SQLite or the real PostgreSQL)."""
    db = open_database(data_entry_db_url or f"sqlite:///{tmp_path / 'receipts.db'}")
    await db.aio_connect()
    try:
        yield db
    finally:
        await db.aio_close()


async def column_names(db: AppDatabase, cursor: Any) -> list[str]:
    """The names of a query's columns (a `fetch_results` for `aio_execute_sql`)."""
    return [column[0] for column in cursor.description]


async def insert_v1_receipt(db: AppDatabase, receipt_id: str, supplier_cif: str) -> None:
    """A receipt row as the first schema stored it (no column added later)."""
    now = dt.datetime(2025, 12, 15, 10, 0)
    p = db.param
    await db.aio_execute_sql(
        "INSERT INTO receipts (id, company_id, state, version, source, supplier_name, supplier_cif, "
        "document_number, receipt_date, payment_method, total_bani, expense_account, deductible, "
        "buyer_cif_present, edited_fields, created_by, created_by_name, created_at, updated_at) "
        f"VALUES ({', '.join([p] * 19)})",
        (receipt_id, 2, "APPROVED", 3, "manual", "ALFA PETROL SRL", supplier_cif, "37", dt.date(2025, 12, 15),
         "supplier", 37410, "6022", True, False, "[]", "u-ana", "ana", now, now),
    )


async def test_receipts_stored_before_the_settlement_account_are_settled_from_the_cash_desk(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version == 1])
    await insert_v1_receipt(database, "a" * 32, "RO12345674")
    applied = await apply_migrations(database, COMPONENT, MIGRATIONS)
    assert 2 in applied
    receipt = await receipt_store.get_receipt(database, "a" * 32)
    assert receipt is not None
    assert receipt.fields.settlement_account == "5311"
    assert receipt.fields.total_bani == 37410


async def test_a_stored_settlement_account_is_kept_only_where_the_payment_method_is_paid_from_it(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version <= 4])
    for receipt_id in ("a" * 32, "b" * 32, "c" * 32):
        await insert_v1_receipt(database, receipt_id, "RO12345674")
    p = database.param
    for receipt_id, method, account in (("a" * 32, "card", "5311"), ("b" * 32, "supplier", "5121"),
                                        ("c" * 32, "cash", "5311")):
        await database.aio_execute_sql(
            f"UPDATE receipts SET payment_method = {p}, settlement_account = {p} WHERE id = {p}",
            (method, account, receipt_id))
    assert 5 in await apply_migrations(database, COMPONENT, MIGRATIONS)
    stored = {rid: (await receipt_store.get_receipt(database, rid)).fields for rid in ("a" * 32, "b" * 32, "c" * 32)}
    assert {rid: fields.settlement_account for rid, fields in stored.items()} == {
        "a" * 32: None, "b" * 32: "5121", "c" * 32: None}
    assert [paid_from(fields) for fields in stored.values()] == ["5121", "5121", "5311"]


async def test_stored_cifs_become_canonical(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version <= 2])
    spellings = {"a" * 32: "ro-1234.5674", "b" * 32: "RO 12345674", "c" * 32: "1234/5674"}
    for receipt_id, cif in spellings.items():
        await insert_v1_receipt(database, receipt_id, cif)
    assert 3 in await apply_migrations(database, COMPONENT, MIGRATIONS)
    stored = {rid: (await receipt_store.get_receipt(database, rid)).fields.supplier_cif for rid in spellings}
    assert stored == {"a" * 32: "RO12345674", "b" * 32: "RO12345674", "c" * 32: "12345674"}


async def test_ocr_runs_lose_the_state_their_job_holds_and_keep_what_ocr_read(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version <= 3])
    await insert_v1_receipt(database, "a" * 32, "RO12345674")
    p = database.param
    await database.aio_execute_sql(
        "INSERT INTO receipt_ocr_runs (id, receipt_id, attachment_id, job_id, state, attempts, fields_json, raw_text, "
        "applied_json, warnings_json, error, requested_by, created_at, started_at, finished_at) "
        f"VALUES ({', '.join([p] * 15)})",
        ("r" * 32, "a" * 32, "f" * 32, "j" * 32, "DONE", 2, '{"total": {"value": 37410, "confidence": 0.9}}',
         "ALFA PETROL SRL", '["total_bani"]', '["a warning"]', None, "u-ana", dt.datetime(2025, 12, 15, 10, 1),
         dt.datetime(2025, 12, 15, 10, 1), dt.datetime(2025, 12, 15, 10, 2)),
    )
    assert 4 in await apply_migrations(database, COMPONENT, MIGRATIONS)
    run = await ocr_store.get_run(database, "r" * 32)
    assert run is not None and run.read and run.job_id == "j" * 32
    assert (run.fields["total"]["value"], run.applied, run.warnings) == (37410, ("total_bani",), ("a warning",))
    names = set(await database.aio_execute_sql("SELECT * FROM receipt_ocr_runs WHERE 1 = 0",
                                               fetch_results=column_names))
    assert names == {"id", "receipt_id", "attachment_id", "job_id", "fields_json", "raw_text", "applied_json",
                     "warnings_json", "requested_by", "created_at"}


async def test_stored_receipts_learn_their_last_editor_and_submitter_from_their_history(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version <= 5])
    p = database.param
    for receipt_id in ("a" * 32, "b" * 32):
        await insert_v1_receipt(database, receipt_id, "RO12345674")
    start = dt.datetime(2025, 12, 15, 10, 0)
    steps = [  # receipt, minutes after start, user id, username, action (a's last user edit is carmen's upload)
        ("a", 0, "u-ana", "ana", "create"), ("a", 1, "u-carmen", "carmen", "update"),
        ("a", 2, "u-ana", "ana", "submit"), ("a", 3, "u-bogdan", "bogdan", "reject"),
        ("a", 4, "u-carmen", "carmen", "attach"), ("a", 5, None, "ocr", "ocr"),
        ("a", 6, "u-dan", "dan", "submit"), ("b", 0, "u-ana", "ana", "create"),
    ]
    for index, (receipt, minutes, user_id, username, action) in enumerate(steps):
        await database.aio_execute_sql(
            "INSERT INTO receipt_history (id, receipt_id, company_id, at, user_id, username, action) "
            f"VALUES ({', '.join([p] * 7)})",
            (f"h{index:02d}", receipt * 32, 2, start + dt.timedelta(minutes=minutes), user_id, username, action))
    assert 6 in await apply_migrations(database, COMPONENT, MIGRATIONS)
    edited = await receipt_store.get_receipt(database, "a" * 32)
    untouched = await receipt_store.get_receipt(database, "b" * 32)
    assert edited is not None and untouched is not None
    assert (edited.last_edited_by, edited.last_edited_by_name, edited.last_edited_at) == (
        "u-carmen", "carmen", start + dt.timedelta(minutes=4))
    assert (edited.submitted_by, edited.submitted_by_name) == ("u-dan", "dan")
    assert (untouched.last_edited_by, untouched.last_edited_by_name, untouched.last_edited_at) == (
        "u-ana", "ana", untouched.created_at)
    assert (untouched.submitted_by, untouched.submitted_by_name) == (None, None)
