"""Attaching files to receipts: check by content, store under FILES_DIR, record, download, remove."""

from __future__ import annotations

import asyncio
import logging

from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import Conflict, NotFound
from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.model import Attachment, Receipt, State, utc_now
from roa2web.data_entry.store import attachment_store
from roa2web.data_entry.store.file_store import FileStore
from roa2web.data_entry.store.receipt_store import new_id
from roa2web.data_entry.workflow.rules import EDITABLE, ensure_can_edit, ensure_state
from roa2web.data_entry.workflow.service import ReceiptService, actor_of
from roa2web.data_entry.workflow.uploads import CheckedFile, check_upload, display_name

log = logging.getLogger("roa2web.data_entry")


class ReceiptFiles:
    """Files of receipts, on disk and in the database, kept consistent."""

    def __init__(
        self, receipts: ReceiptService, files: FileStore, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.receipts = receipts
        self.files = files
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    async def check(self, data: bytes) -> CheckedFile:
        """Verify an upload by content (off the event loop); raises UploadRejected / ImageTooLarge / UploadTooLarge."""
        return await asyncio.to_thread(check_upload, data, max_bytes=self.max_bytes, max_pixels=self.max_pixels)

    async def attach(
        self, principal: Principal, receipt_id: str, data: bytes, file_name: str | None,
        checked: CheckedFile | None = None,
    ) -> Attachment:
        """Store a file on a DRAFT or REJECTED receipt."""
        receipt = await self.receipts.get(principal, receipt_id)
        ensure_can_edit(principal, receipt)
        ensure_state(receipt, EDITABLE, "attach")
        checked = checked or await self.check(data)
        year = (receipt.fields.receipt_date or utc_now().date()).year
        relative = self.files.new_path(receipt.company_id, year, checked.extension)
        await asyncio.to_thread(self.files.write, relative, checked.data)
        attachment = Attachment(
            id=new_id(), receipt_id=receipt.id, file_name=display_name(file_name, checked.extension),
            content_type=checked.content_type, size_bytes=len(checked.data), sha256=checked.sha256,
            storage_path=relative, uploaded_by=principal.user_id, uploaded_at=utc_now(),
        )
        recorded = await attachment_store.insert_attachment(
            self.receipts.db, receipt, attachment, states=EDITABLE, actor=actor_of(principal))
        if not recorded:
            await asyncio.to_thread(self.files.remove, relative)
            raise Conflict("Între timp bonul a trecut într-o stare în care nu mai poate fi modificat.")
        return attachment

    async def find(self, principal: Principal, receipt_id: str, attachment_id: str) -> tuple[Receipt, Attachment]:
        """An attachment of a receipt the caller may see."""
        receipt = await self.receipts.get(principal, receipt_id)
        attachment = await attachment_store.get_attachment(self.receipts.db, receipt.id, attachment_id)
        if attachment is None:
            raise NotFound(f"Bonul {receipt_id} nu are fișierul atașat {attachment_id}.")
        return receipt, attachment

    async def content(self, attachment: Attachment) -> bytes:
        """The stored bytes of an attachment."""
        try:
            return await asyncio.to_thread(self.files.read, attachment.storage_path)
        except FileNotFoundError:
            log.error("attachment %s is missing its file %s", attachment.id, attachment.storage_path)
            raise NotFound(f"Fișierul atașat {attachment.id} lipsește de pe server.") from None

    async def detach(self, principal: Principal, receipt_id: str, attachment_id: str) -> None:
        """Remove an attachment of a DRAFT receipt, and its file."""
        receipt, attachment = await self.find(principal, receipt_id, attachment_id)
        ensure_can_edit(principal, receipt)
        drafts = frozenset({State.DRAFT})
        ensure_state(receipt, drafts, "detach")
        if not await attachment_store.delete_attachment(
                self.receipts.db, receipt, attachment, states=drafts, actor=actor_of(principal)):
            raise Conflict("Între timp bonul nu mai este ciornă.")
        await asyncio.to_thread(self.files.remove, attachment.storage_path)

    async def delete_receipt(self, principal: Principal, receipt_id: str) -> None:
        """Delete a DRAFT receipt with its files."""
        for path in await self.receipts.delete(principal, receipt_id):
            await asyncio.to_thread(self.files.remove, path)
