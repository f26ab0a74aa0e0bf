"""Request and response schemas of `/api/data-entry/receipts`, and their mapping to the domain."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from roa2web.accounting.cif import canonical_cif
from roa2web.blueprints.data_entry.types import Day, Money, MoneyOut, Timestamp, from_bani, to_bani
from roa2web.blueprints.job_resource import JobStateName
from roa2web.bounds import Int64
from roa2web.data_entry.labels import action_label
from roa2web.data_entry.model import Attachment, HistoryEntry, OcrRun, PaymentMethod, Receipt, State, VatLine
from roa2web.data_entry.ocr.flow import LatestOcr
from roa2web.data_entry.workflow.entries import paid_from
from roa2web.data_entry.workflow.service import Notice
from roa2web.dates import IsoDate

# API name → domain name, where they differ
_DOMAIN_NAMES = {"total": "total_bani"}
_API_NAMES = {domain: api for api, domain in _DOMAIN_NAMES.items()}
# OCR field → the receipt field it fills, where the names differ
OCR_NAMES = {"receipt_number": "document_number", "date": "receipt_date"}


class VatLineIn(BaseModel):
    """One VAT rate group: rate in percent (0 = 0% or exempt), net base and VAT in RON."""

    rate: int = Field(ge=0, le=100, examples=[21])
    base: Money
    vat: Money


class VatLineOut(BaseModel):
    """One VAT rate group."""

    rate: int
    base: MoneyOut
    vat: MoneyOut


class ReceiptFieldsIn(BaseModel):
    """Receipt fields; on update only the fields sent change."""

    supplier_partner_id: Int64 | None = Field(None, description="a partner of the company's ledger")
    supplier_name: str | None = Field(None, max_length=200, examples=["ALFA PETROL SRL"])
    supplier_cif: str | None = Field(None, max_length=20, examples=["RO12345674"])
    document_number: str | None = Field(None, max_length=50, examples=["37"])
    receipt_date: IsoDate | None = Field(None, examples=["2025-09-15"])
    payment_method: PaymentMethod | None = None
    total: Money | None = None
    vat_lines: list[VatLineIn] | None = Field(None, max_length=10)
    expense_account: str | None = Field(None, max_length=30, examples=["6022"])
    deductible: bool = Field(True, description="false when the VAT may not be deducted")
    buyer_cif_present: bool = Field(False, description="the receipt shows the company's CIF as buyer")
    notes: str | None = Field(None, max_length=2000)
    settlement_account: Literal["5311", "5121", "5125", "542"] | None = Field(
        None, description="the account the receipt is paid from, one of its payment method's: cash 5311; card 5121 "
        "(bank) or 5125 (card sums in transit); advance 542; through the supplier, the account that pays 401: 5311 "
        "(cash desk) or 5121 (bank). Null: the method's usual account (the first named)")

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, in domain names and types (bani, VatLine)."""
        result: dict[str, Any] = {}
        for name in self.model_fields_set & set(ReceiptFieldsIn.model_fields):
            value = getattr(self, name)
            if name == "total":
                value = None if value is None else to_bani(value)
            elif name == "vat_lines":
                value = tuple(VatLine(v.rate, to_bani(v.base), to_bani(v.vat)) for v in value or ())
            elif isinstance(value, str):
                value = value.strip() or None
                if value and name == "supplier_cif":
                    value = canonical_cif(value)
            result[_DOMAIN_NAMES.get(name, name)] = value
        return result


class ReceiptCreate(ReceiptFieldsIn):
    """A new DRAFT receipt."""

    company_id: Int64


class ReceiptUpdate(ReceiptFieldsIn):
    """Changes to a DRAFT or REJECTED receipt; `version` (optional) refuses to overwrite newer changes."""

    version: Int64 | None = Field(None, description="the version you read; 409 when the receipt changed since")


class Comment(BaseModel):
    """An optional comment kept in the history."""

    comment: str | None = Field(None, max_length=1000)


class RejectRequest(BaseModel):
    """Why the receipt is rejected (the creator sees it)."""

    reason: str = Field(min_length=1, max_length=1000, examples=["lipsește CIF-ul firmei pe bon"])


class AttachmentOut(BaseModel):
    """A stored file of a receipt."""

    id: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: Timestamp


class NoticeOut(BaseModel):
    """A warning about the receipt (its `kind`).

    `duplicate`: a probable duplicate, named in `receipt_ids`; `exchange-rate-missing`: the 100 EUR
    limit decides its VAT and no BNR rate is stored for the banking day before its date, so it
    cannot be approved until one is.
    """

    kind: str
    message: str
    receipt_ids: list[str]


class OcrSummary(BaseModel):
    """The latest OCR run of the receipt: its job's state and error, and the confidence of each field it read."""

    job_id: str | None
    state: JobStateName | None = Field(description="the job's; null once the job's record was purged")
    confidence: dict[str, float] = Field(description="per field read, by receipt field name")
    applied: list[str]
    warnings: list[str]
    error: str | None


class ReceiptOut(BaseModel):
    """A receipt with its workflow data, files, warnings and OCR summary."""

    id: str
    company_id: int
    state: State
    version: int
    source: str
    supplier_partner_id: int | None
    supplier_name: str | None
    supplier_cif: str | None
    document_number: str | None
    receipt_date: Day | None
    payment_method: PaymentMethod | None
    total: MoneyOut | None
    vat_lines: list[VatLineOut]
    expense_account: str | None
    deductible: bool
    buyer_cif_present: bool
    notes: str | None
    settlement_account: str | None = Field(description="the account the receipt is paid from (null: no payment "
                                                       "method yet)")
    edited_fields: list[str]
    created_by: str
    created_by_name: str
    created_at: Timestamp
    updated_at: Timestamp
    last_edited_by: str | None = Field(description="the user who last changed its fields or files (the creator "
                                                   "until someone edits it); may not approve it")
    last_edited_by_name: str | None
    last_edited_at: Timestamp | None
    submitted_at: Timestamp | None
    submitted_by: str | None = Field(description="the user who last sent it for approval; may not approve it")
    submitted_by_name: str | None
    decided_by: str | None
    decided_at: Timestamp | None
    rejection_reason: str | None
    exported_at: Timestamp | None
    attachments: list[AttachmentOut]
    warnings: list[NoticeOut] = []
    ocr: OcrSummary | None = None


class ReceiptList(BaseModel):
    """A page of receipts, newest first; pass `next_cursor` as `cursor` for the next page."""

    items: list[ReceiptOut]
    next_cursor: str | None


class ReceiptQuery(BaseModel):
    """List filters."""

    company_id: Int64 | None = None
    state: State | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    supplier: str | None = Field(None, max_length=100, description="part of the supplier's name or CIF")
    created_by: str | None = Field(None, max_length=64, description="the creator's user id")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


class HistoryOut(BaseModel):
    """One audited action: `action` names it for programs, `description` for people."""

    at: Timestamp
    user_id: str | None
    username: str
    name: str = Field(description="The person's name to show: their display name, or the username for entries "
                                  "written before names were kept", examples=["Ana Pop"])
    action: str = Field(examples=["submit"])
    description: str = Field(examples=["Trimis spre aprobare"])
    from_state: str | None
    to_state: str | None
    comment: str | None


class HistoryList(BaseModel):
    """A receipt's history, oldest first."""

    items: list[HistoryOut]


def attachment_out(attachment: Attachment) -> AttachmentOut:
    """The public view of an attachment (never its storage path)."""
    return AttachmentOut(
        id=attachment.id, file_name=attachment.file_name, content_type=attachment.content_type,
        size_bytes=attachment.size_bytes, sha256=attachment.sha256, uploaded_by=attachment.uploaded_by,
        uploaded_at=attachment.uploaded_at,
    )


def _ron(bani: Any) -> Any:
    return None if bani is None else float(from_bani(int(bani)))


def ocr_value(name: str, value: Any) -> Any:
    """An OCR value in API units: money in RON, quantities in units."""
    if value is None:
        return None
    if name == "total":
        return _ron(value)
    if name == "vat_lines":
        return [{"rate": g["rate"], "base": _ron(g.get("base_bani")), "vat": _ron(g["vat_bani"])} for g in value]
    if name == "items":
        return [{"value": _ron(i["value_bani"]), "letter": i.get("letter"),
                 "unit_price": _ron(i.get("unit_price_bani")),
                 "quantity": None if i.get("quantity_milli") is None else i["quantity_milli"] / 1000} for i in value]
    return value


def ocr_fields(run: OcrRun) -> dict[str, dict[str, Any]]:
    """The run's readings by receipt field name: {name: {value, confidence}}."""
    return {OCR_NAMES.get(name, name): {"value": ocr_value(name, reading.get("value")),
                                        "confidence": float(reading.get("confidence", 0.0))}
            for name, reading in run.fields.items()}


def api_field_names(names: tuple[str, ...]) -> list[str]:
    """Receipt field names as the API spells them."""
    return [_API_NAMES.get(name, name) for name in names]


def ocr_summary(latest: LatestOcr) -> OcrSummary:
    """The latest run in short; its state and error are its job's."""
    run, job = latest.run, latest.job
    confidence = {name: field["confidence"] for name, field in ocr_fields(run).items()}
    return OcrSummary(job_id=run.job_id, state=job.state.value if job else None, confidence=confidence,
                      applied=api_field_names(run.applied), warnings=list(run.warnings),
                      error=job.error if job else None)


def receipt_out(receipt: Receipt, notices: list[Notice] | None = None, ocr: LatestOcr | None = None) -> ReceiptOut:
    """The public view of a receipt."""
    fields = receipt.fields
    return ReceiptOut(
        id=receipt.id, company_id=receipt.company_id, state=receipt.state, version=receipt.version,
        source=receipt.source, supplier_partner_id=fields.supplier_partner_id, supplier_name=fields.supplier_name,
        supplier_cif=fields.supplier_cif, document_number=fields.document_number, receipt_date=fields.receipt_date,
        payment_method=fields.payment_method,
        total=None if fields.total_bani is None else from_bani(fields.total_bani),
        vat_lines=[VatLineOut(rate=line.rate, base=from_bani(line.base_bani), vat=from_bani(line.vat_bani))
                   for line in fields.vat_lines],
        expense_account=fields.expense_account, deductible=fields.deductible,
        buyer_cif_present=fields.buyer_cif_present, notes=fields.notes, settlement_account=paid_from(fields),
        edited_fields=sorted(_API_NAMES.get(name, name) for name in receipt.edited_fields),
        created_by=receipt.created_by, created_by_name=receipt.created_by_name, created_at=receipt.created_at,
        updated_at=receipt.updated_at, last_edited_by=receipt.last_edited_by,
        last_edited_by_name=receipt.last_edited_by_name, last_edited_at=receipt.last_edited_at,
        submitted_at=receipt.submitted_at, submitted_by=receipt.submitted_by,
        submitted_by_name=receipt.submitted_by_name, decided_by=receipt.decided_by,
        decided_at=receipt.decided_at, rejection_reason=receipt.rejection_reason, exported_at=receipt.exported_at,
        attachments=[attachment_out(a) for a in receipt.attachments],
        warnings=[NoticeOut(kind=n.kind, message=n.message, receipt_ids=list(n.receipt_ids)) for n in notices or ()],
        ocr=ocr_summary(ocr) if ocr else None,
    )


def history_out(entries: list[HistoryEntry]) -> HistoryList:
    """A receipt's history."""
    return HistoryList(items=[
        HistoryOut(at=e.at, user_id=e.user_id, username=e.username, name=e.name or e.username, action=e.action,
                   description=action_label(e.action), from_state=e.from_state, to_state=e.to_state,
                   comment=e.comment)
        for e in entries
    ])
