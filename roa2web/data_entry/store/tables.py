"""The data-entry database's peewee rows, over the tables its migrations (migrations.py) create.

Inserts name their `.returning(...)` column: without it peewee-async 2.1 on peewee 4.3 fails on
PostgreSQL (it looks for a `_primary_key` that peewee 4 models no longer have).
"""

from __future__ import annotations

import peewee
from peewee_async import AioModel


class ReceiptRow(AioModel):
    """A row of `receipts`: the receipt's scalar fields and workflow data."""

    id = peewee.TextField(primary_key=True)
    company_id = peewee.IntegerField()
    state = peewee.TextField()
    version = peewee.IntegerField()
    source = peewee.TextField()
    supplier_partner_id = peewee.IntegerField(null=True)
    supplier_name = peewee.TextField(null=True)
    supplier_cif = peewee.TextField(null=True)
    document_number = peewee.TextField(null=True)
    receipt_date = peewee.DateField(null=True)
    payment_method = peewee.TextField(null=True)
    total_bani = peewee.BigIntegerField(null=True)
    expense_account = peewee.TextField(null=True)
    deductible = peewee.BooleanField()
    buyer_cif_present = peewee.BooleanField()
    notes = peewee.TextField(null=True)
    settlement_account = peewee.TextField(null=True)
    edited_fields = peewee.TextField()
    rejection_reason = peewee.TextField(null=True)
    created_by = peewee.TextField()
    created_by_name = peewee.TextField()
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    last_edited_by = peewee.TextField(null=True)
    last_edited_by_name = peewee.TextField(null=True)
    last_edited_at = peewee.DateTimeField(null=True)
    submitted_at = peewee.DateTimeField(null=True)
    submitted_by = peewee.TextField(null=True)
    submitted_by_name = peewee.TextField(null=True)
    decided_by = peewee.TextField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    exported_at = peewee.DateTimeField(null=True)
    export_job_id = peewee.TextField(null=True)

    class Meta:
        table_name = "receipts"


class VatLineRow(AioModel):
    """A row of `receipt_vat_lines`: one VAT rate group of a receipt."""

    receipt_id = peewee.TextField()
    position = peewee.IntegerField()
    rate = peewee.IntegerField()
    base_bani = peewee.BigIntegerField()
    vat_bani = peewee.BigIntegerField()

    class Meta:
        table_name = "receipt_vat_lines"
        primary_key = peewee.CompositeKey("receipt_id", "position")


class AttachmentRow(AioModel):
    """A row of `receipt_attachments`: a stored file of a receipt."""

    id = peewee.TextField(primary_key=True)
    receipt_id = peewee.TextField()
    file_name = peewee.TextField()
    content_type = peewee.TextField()
    size_bytes = peewee.BigIntegerField()
    sha256 = peewee.TextField()
    storage_path = peewee.TextField()
    uploaded_by = peewee.TextField()
    uploaded_at = peewee.DateTimeField()

    class Meta:
        table_name = "receipt_attachments"


class HistoryRow(AioModel):
    """A row of `receipt_history`: one audited action on a receipt."""

    id = peewee.TextField(primary_key=True)
    receipt_id = peewee.TextField()
    company_id = peewee.IntegerField()
    at = peewee.DateTimeField()
    user_id = peewee.TextField(null=True)
    username = peewee.TextField()
    name = peewee.TextField(null=True)
    action = peewee.TextField()
    from_state = peewee.TextField(null=True)
    to_state = peewee.TextField(null=True)
    comment = peewee.TextField(null=True)

    class Meta:
        table_name = "receipt_history"


class OcrRunRow(AioModel):
    """A row of `receipt_ocr_runs`: what one OCR pass read (its state is its job's)."""

    id = peewee.TextField(primary_key=True)
    receipt_id = peewee.TextField()
    attachment_id = peewee.TextField()
    job_id = peewee.TextField(null=True, unique=True)
    fields_json = peewee.TextField(null=True)
    raw_text = peewee.TextField(null=True)
    applied_json = peewee.TextField(null=True)
    warnings_json = peewee.TextField(null=True)
    requested_by = peewee.TextField()
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "receipt_ocr_runs"


class ExportReleaseRow(AioModel):
    """A row of `receipt_export_releases`: an export an admin released (its receipts went back to APPROVED)."""

    job_id = peewee.TextField(primary_key=True)
    company_id = peewee.IntegerField()
    receipts = peewee.IntegerField()
    released_at = peewee.DateTimeField()
    released_by = peewee.TextField()
    released_by_name = peewee.TextField()

    class Meta:
        table_name = "receipt_export_releases"
