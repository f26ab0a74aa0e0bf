"""Receipts, their VAT lines and history in the data-entry database. All receipt SQL lives here.

Every state change is one conditional UPDATE (`WHERE id = ? AND state IN (...) AND version = ?`)
that also takes the row's write lock; the rest of the transaction (lines, history) follows it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.model import (
    Actor,
    Attachment,
    HistoryEntry,
    PaymentMethod,
    Receipt,
    ReceiptFields,
    State,
    VatLine,
    utc_now,
)
from roa2web.data_entry.store.tables import AttachmentRow, HistoryRow, OcrRunRow, ReceiptRow, VatLineRow

_SCALAR_FIELDS = (
    "supplier_partner_id", "supplier_name", "supplier_cif", "document_number", "receipt_date",
    "payment_method", "total_bani", "expense_account", "deductible", "buyer_cif_present", "notes",
    "settlement_account",
)


@dataclass(frozen=True, slots=True)
class ReceiptFilter:
    """List filters; `company_ids` None = every company."""

    company_ids: frozenset[int] | None = None
    state: State | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    supplier: str | None = None
    created_by: str | None = None
    export_job_id: str | None = None


def new_id() -> str:
    """A fresh TEXT id."""
    return uuid.uuid4().hex


def edited_by(actor: Actor, at: dt.datetime) -> dict[str, Any]:
    """The columns that name a receipt's last editor: `actor` when a user, nothing for the system (OCR)."""
    if actor.user_id is None:
        return {}
    return {"last_edited_by": actor.user_id, "last_edited_by_name": actor.name, "last_edited_at": at}


def _fields(row: ReceiptRow, lines: Iterable[VatLineRow]) -> ReceiptFields:
    return ReceiptFields(
        supplier_partner_id=row.supplier_partner_id,
        supplier_name=row.supplier_name,
        supplier_cif=row.supplier_cif,
        document_number=row.document_number,
        receipt_date=_as_date(row.receipt_date),
        payment_method=PaymentMethod(row.payment_method) if row.payment_method else None,
        total_bani=row.total_bani,
        vat_lines=tuple(VatLine(line.rate, line.base_bani, line.vat_bani) for line in lines),
        expense_account=row.expense_account,
        deductible=bool(row.deductible),
        buyer_cif_present=bool(row.buyer_cif_present),
        notes=row.notes,
        settlement_account=row.settlement_account,
    )


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def attachment_from_row(row: AttachmentRow) -> Attachment:
    """The domain view of an attachment row."""
    return Attachment(
        row.id, row.receipt_id, row.file_name, row.content_type, row.size_bytes, row.sha256,
        row.storage_path, row.uploaded_by, row.uploaded_at,
    )


def _receipt(row: ReceiptRow, lines: Iterable[VatLineRow], attachments: Iterable[AttachmentRow] = ()) -> Receipt:
    return Receipt(
        id=row.id,
        company_id=row.company_id,
        state=State(row.state),
        version=row.version,
        source=row.source,
        fields=_fields(row, lines),
        edited_fields=frozenset(json.loads(row.edited_fields)),
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_edited_by=row.last_edited_by,
        last_edited_by_name=row.last_edited_by_name,
        last_edited_at=row.last_edited_at,
        submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        submitted_by_name=row.submitted_by_name,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        rejection_reason=row.rejection_reason,
        exported_at=row.exported_at,
        export_job_id=row.export_job_id,
        attachments=tuple(attachment_from_row(a) for a in attachments),
    )


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Scalar receipt fields as column values (enums as text)."""
    columns = {name: values[name] for name in _SCALAR_FIELDS if name in values}
    if columns.get("payment_method") is not None:
        columns["payment_method"] = str(columns["payment_method"])
    return columns


async def _write_lines(db: AppDatabase, receipt_id: str, lines: Iterable[VatLine]) -> None:
    await VatLineRow.delete().where(VatLineRow.receipt_id == receipt_id).aio_execute(db)
    rows = [
        {"receipt_id": receipt_id, "position": i, "rate": line.rate, "base_bani": line.base_bani,
         "vat_bani": line.vat_bani}
        for i, line in enumerate(lines)
    ]
    if rows:
        await VatLineRow.insert_many(rows).returning(VatLineRow.receipt_id).aio_execute(db)


async def add_history(
    db: AppDatabase, receipt_id: str, company_id: int, actor: Actor, action: str,
    from_state: str | None, to_state: str | None, comment: str | None = None,
) -> None:
    """Append one audit entry."""
    await HistoryRow.insert(
        id=new_id(), receipt_id=receipt_id, company_id=company_id, at=utc_now(), user_id=actor.user_id,
        username=actor.username, name=actor.name, action=action, from_state=from_state, to_state=to_state,
        comment=comment,
    ).returning(HistoryRow.id).aio_execute(db)


async def insert_receipt(
    db: AppDatabase, *, company_id: int, fields: ReceiptFields, source: str, actor: Actor,
    edited_fields: Collection[str],
) -> str:
    """Create a DRAFT receipt (and its 'create' history entry); return its id."""
    receipt_id = new_id()
    now = utc_now()
    values = {name: getattr(fields, name) for name in _SCALAR_FIELDS}
    async with write_transaction(db):
        await ReceiptRow.insert(
            id=receipt_id, company_id=company_id, state=State.DRAFT.value, version=1, source=source,
            edited_fields=json.dumps(sorted(edited_fields)), created_by=actor.user_id or "",
            created_by_name=actor.name, created_at=now, updated_at=now, **edited_by(actor, now),
            **_columns(values),
        ).returning(ReceiptRow.id).aio_execute(db)
        await _write_lines(db, receipt_id, fields.vat_lines)
        await add_history(db, receipt_id, company_id, actor, "create", None, State.DRAFT.value)
    return receipt_id


async def get_receipt(db: AppDatabase, receipt_id: str) -> Receipt | None:
    """A receipt with its VAT lines and attachments."""
    rows = await ReceiptRow.select().where(ReceiptRow.id == receipt_id).aio_execute(db)
    if not rows:
        return None
    lines = await VatLineRow.select().where(VatLineRow.receipt_id == receipt_id).order_by(
        VatLineRow.position).aio_execute(db)
    attachments = await AttachmentRow.select().where(AttachmentRow.receipt_id == receipt_id).order_by(
        AttachmentRow.uploaded_at, AttachmentRow.id).aio_execute(db)
    return _receipt(rows[0], lines, attachments)


def _filtered(query: Any, where: ReceiptFilter) -> Any:
    if where.company_ids is not None:
        query = query.where(ReceiptRow.company_id.in_(sorted(where.company_ids)))
    if where.state is not None:
        query = query.where(ReceiptRow.state == where.state.value)
    if where.date_from is not None:
        query = query.where(ReceiptRow.receipt_date >= where.date_from)
    if where.date_to is not None:
        query = query.where(ReceiptRow.receipt_date <= where.date_to)
    if where.supplier:
        query = query.where(
            ReceiptRow.supplier_name.contains(where.supplier) | ReceiptRow.supplier_cif.contains(where.supplier))
    if where.created_by is not None:
        query = query.where(ReceiptRow.created_by == where.created_by)
    if where.export_job_id is not None:
        query = query.where(ReceiptRow.export_job_id == where.export_job_id)
    return query


async def list_receipts(
    db: AppDatabase, where: ReceiptFilter, *, after: tuple[dt.datetime, str] | None, limit: int
) -> tuple[list[Receipt], bool]:
    """Receipts newest first (created_at, id), after a cursor; returns (page, more_exist)."""
    query = _filtered(ReceiptRow.select(), where)
    if after is not None:
        created_at, last_id = after
        query = query.where(
            (ReceiptRow.created_at < created_at) | ((ReceiptRow.created_at == created_at) & (ReceiptRow.id < last_id)))
    rows = list(await query.order_by(ReceiptRow.created_at.desc(), ReceiptRow.id.desc()).limit(limit + 1)
                .aio_execute(db))
    page = rows[:limit]
    lines: dict[str, list[VatLineRow]] = {row.id: [] for row in page}
    if page:
        for line in await VatLineRow.select().where(VatLineRow.receipt_id.in_(list(lines))).order_by(
                VatLineRow.receipt_id, VatLineRow.position).aio_execute(db):
            lines[line.receipt_id].append(line)
    return [_receipt(row, lines[row.id]) for row in page], len(rows) > limit


async def apply_field_changes(
    db: AppDatabase, receipt: Receipt, changes: dict[str, Any], *, states: Collection[State],
    edited_fields: Collection[str], actor: Actor, action: str = "update", comment: str | None = None,
) -> bool:
    """Inside the caller's transaction: apply `changes` if the receipt is still at its version and in `states`."""
    now = utc_now()
    values: dict[str, Any] = {
        **_columns(changes), "edited_fields": json.dumps(sorted(edited_fields)),
        "version": ReceiptRow.version + 1, "updated_at": now, **edited_by(actor, now),
    }
    count = await ReceiptRow.update(values).where(
        (ReceiptRow.id == receipt.id) & (ReceiptRow.version == receipt.version)
        & ReceiptRow.state.in_([s.value for s in states])).aio_execute(db)
    if not count:
        return False
    if "vat_lines" in changes:
        await _write_lines(db, receipt.id, changes["vat_lines"])
    await add_history(db, receipt.id, receipt.company_id, actor, action, receipt.state, receipt.state, comment)
    return True


async def update_fields(
    db: AppDatabase, receipt: Receipt, changes: dict[str, Any], *, states: Collection[State],
    edited_fields: Collection[str], actor: Actor,
) -> bool:
    """Apply a user's field `changes` in one transaction (False when the receipt moved on)."""
    async with write_transaction(db):
        return await apply_field_changes(db, receipt, changes, states=states, edited_fields=edited_fields,
                                         actor=actor)


async def transition(
    db: AppDatabase, receipt: Receipt, *, sources: Collection[State], target: State, actor: Actor, action: str,
    comment: str | None = None, values: dict[str, Any] | None = None, not_involved: str | None = None,
) -> bool:
    """Move the receipt to `target` in one conditional UPDATE (state, version, four-eyes) plus history.

    `not_involved`: a user id that must not have created, last edited or submitted the receipt.
    """
    condition = ((ReceiptRow.id == receipt.id) & (ReceiptRow.version == receipt.version)
                 & ReceiptRow.state.in_([s.value for s in sources]))
    if not_involved is not None:
        condition &= (ReceiptRow.created_by != not_involved)
        for column in (ReceiptRow.last_edited_by, ReceiptRow.submitted_by):
            condition &= column.is_null() | (column != not_involved)
    update = {**(values or {}), "state": target.value, "version": ReceiptRow.version + 1, "updated_at": utc_now()}
    async with write_transaction(db):
        if not await ReceiptRow.update(update).where(condition).aio_execute(db):
            return False
        await add_history(db, receipt.id, receipt.company_id, actor, action, receipt.state, target, comment)
    return True


async def delete_draft(db: AppDatabase, receipt: Receipt, actor: Actor) -> list[str] | None:
    """Delete a DRAFT receipt and its rows; return the storage paths of its files (None if not deleted)."""
    async with write_transaction(db):
        locked = await ReceiptRow.update(version=ReceiptRow.version + 1).where(
            (ReceiptRow.id == receipt.id) & (ReceiptRow.state == State.DRAFT.value)).aio_execute(db)
        if not locked:
            return None
        paths = [row.storage_path for row in await AttachmentRow.select(AttachmentRow.storage_path).where(
            AttachmentRow.receipt_id == receipt.id).aio_execute(db)]
        await OcrRunRow.delete().where(OcrRunRow.receipt_id == receipt.id).aio_execute(db)
        await AttachmentRow.delete().where(AttachmentRow.receipt_id == receipt.id).aio_execute(db)
        await VatLineRow.delete().where(VatLineRow.receipt_id == receipt.id).aio_execute(db)
        await ReceiptRow.delete().where(ReceiptRow.id == receipt.id).aio_execute(db)
        await add_history(db, receipt.id, receipt.company_id, actor, "delete", State.DRAFT, None)
    return paths


async def list_history(db: AppDatabase, receipt_id: str) -> list[HistoryEntry]:
    """Every audited action on a receipt, oldest first."""
    rows = await HistoryRow.select().where(HistoryRow.receipt_id == receipt_id).order_by(
        HistoryRow.at, HistoryRow.id).aio_execute(db)
    return [
        HistoryEntry(r.id, r.receipt_id, r.at, r.user_id, r.username, r.action, r.from_state, r.to_state, r.comment,
                     r.name)
        for r in rows
    ]
