"""Forward migrations of the data-entry database keep the receipts an older release stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from roa2web.appdb import AppDatabase, apply_migrations, open_database
from roa2web.data_entry import store
from roa2web.data_entry.tables import MIGRATIONS

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
    receipt = await store.get_receipt(database, "a" * 32)
    assert receipt is not None
    assert receipt.fields.settlement_account == "5311"
    assert receipt.fields.total_bani == 37410


async def test_stored_cifs_become_canonical(database):
    await apply_migrations(database, COMPONENT, [m for m in MIGRATIONS if m.version <= 2])
    spellings = {"a" * 32: "ro-1234.5674", "b" * 32: "RO 12345674", "c" * 32: "1234/5674"}
    for receipt_id, cif in spellings.items():
        await insert_v1_receipt(database, receipt_id, cif)
    assert 3 in await apply_migrations(database, COMPONENT, MIGRATIONS)
    stored = {rid: (await store.get_receipt(database, rid)).fields.supplier_cif for rid in spellings}
    assert stored == {"a" * 32: "RO12345674", "b" * 32: "RO12345674", "c" * 32: "12345674"}
