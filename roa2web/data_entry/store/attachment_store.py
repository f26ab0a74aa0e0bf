"""Attachment rows of receipts.

A change first touches the receipt row (conditional on its state), which takes the write lock, so an
attachment never lands on a receipt that just left an editable state.
"""

from __future__ import annotations

from collections.abc import Collection

from roa2web.appdb import AppDatabase, write_transaction
from roa2web.data_entry.model import Actor, Attachment, Receipt, State, utc_now
from roa2web.data_entry.store.receipt_store import add_history, attachment_from_row, edited_by
from roa2web.data_entry.store.tables import AttachmentRow, ReceiptRow


async def _lock_in(db: AppDatabase, receipt_id: str, states: Collection[State], actor: Actor) -> bool:
    """Touch the receipt if still in `states` (its files changed: `actor` is its last editor); takes the write lock."""
    now = utc_now()
    count = await ReceiptRow.update(updated_at=now, **edited_by(actor, now)).where(
        (ReceiptRow.id == receipt_id) & ReceiptRow.state.in_([s.value for s in states])).aio_execute(db)
    return bool(count)


async def insert_attachment(
    db: AppDatabase, receipt: Receipt, attachment: Attachment, *, states: Collection[State], actor: Actor
) -> bool:
    """Record a stored file on the receipt if the receipt is still in `states`."""
    async with write_transaction(db):
        if not await _lock_in(db, receipt.id, states, actor):
            return False
        await AttachmentRow.insert(
            id=attachment.id, receipt_id=receipt.id, file_name=attachment.file_name,
            content_type=attachment.content_type, size_bytes=attachment.size_bytes, sha256=attachment.sha256,
            storage_path=attachment.storage_path, uploaded_by=attachment.uploaded_by,
            uploaded_at=attachment.uploaded_at,
        ).returning(AttachmentRow.id).aio_execute(db)
        await add_history(db, receipt.id, receipt.company_id, actor, "attach", receipt.state, receipt.state,
                          attachment.file_name)
    return True


async def get_attachment(db: AppDatabase, receipt_id: str, attachment_id: str) -> Attachment | None:
    """One attachment of a receipt."""
    rows = await AttachmentRow.select().where(
        (AttachmentRow.id == attachment_id) & (AttachmentRow.receipt_id == receipt_id)).aio_execute(db)
    return attachment_from_row(rows[0]) if rows else None


async def delete_attachment(
    db: AppDatabase, receipt: Receipt, attachment: Attachment, *, states: Collection[State], actor: Actor
) -> bool:
    """Forget an attachment if the receipt is still in `states` (the caller removes the file)."""
    async with write_transaction(db):
        if not await _lock_in(db, receipt.id, states, actor):
            return False
        count = await AttachmentRow.delete().where(
            (AttachmentRow.id == attachment.id) & (AttachmentRow.receipt_id == receipt.id)).aio_execute(db)
        if not count:
            return False
        await add_history(db, receipt.id, receipt.company_id, actor, "detach", receipt.state, receipt.state,
                          attachment.file_name)
    return True
