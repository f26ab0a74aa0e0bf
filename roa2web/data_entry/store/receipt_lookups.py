"""Questions about other receipts: probable duplicates, and the accounts a supplier's receipts used."""

from __future__ import annotations

import datetime as dt

import peewee

from roa2web.accounting.cif import normalize_cif
from roa2web.appdb import AppDatabase
from roa2web.data_entry.model import State
from roa2web.data_entry.store.tables import ReceiptRow


def _same_cif(supplier_cif: str) -> peewee.Expression:
    """The CIF as stored with or without its RO prefix (stored CIFs are canonical: validation.canonical_cif)."""
    digits = normalize_cif(supplier_cif)[0]
    return ReceiptRow.supplier_cif.in_([digits, f"RO{digits}"])


async def find_duplicates(
    db: AppDatabase, *, company_id: int, supplier_cif: str, document_number: str, receipt_date: dt.date,
    exclude_id: str,
) -> list[str]:
    """Ids of other receipts of the company with the same supplier CIF (RO or not), number and date."""
    rows = await ReceiptRow.select(ReceiptRow.id).where(
        (ReceiptRow.company_id == company_id) & _same_cif(supplier_cif)
        & (ReceiptRow.document_number == document_number) & (ReceiptRow.receipt_date == receipt_date)
        & (ReceiptRow.id != exclude_id)).order_by(ReceiptRow.created_at).aio_execute(db)
    return [row.id for row in rows]


async def supplier_expense_accounts(
    db: AppDatabase, *, company_id: int, supplier_cif: str | None, partner_id: int | None
) -> list[str]:
    """Expense accounts of the supplier's approved (or exported) receipts, most used first."""
    who = []
    if supplier_cif:
        who.append(_same_cif(supplier_cif))
    if partner_id is not None:
        who.append(ReceiptRow.supplier_partner_id == partner_id)
    if not who:
        return []
    supplier = who[0] if len(who) == 1 else (who[0] | who[1])
    uses = peewee.fn.COUNT(ReceiptRow.id)
    rows = await ReceiptRow.select(ReceiptRow.expense_account, uses.alias("uses")).where(
        (ReceiptRow.company_id == company_id) & supplier & ReceiptRow.expense_account.is_null(False)
        & ReceiptRow.state.in_([State.APPROVED.value, State.EXPORTED.value])).group_by(
        ReceiptRow.expense_account).order_by(uses.desc(), ReceiptRow.expense_account).aio_execute(db)
    return [row.expense_account for row in rows]
