"""The receipt as the domain sees it: states, payment methods, fields, attachments, history, OCR runs.

An OCR run keeps only what OCR read; the job that carries it (the `jobs` table) is the one truth
for its state, attempts, error and times.

Money is integer bani everywhere in the domain; dates are `datetime.date`; timestamps are naive UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any


class State(StrEnum):
    """Where a receipt is in its workflow. EXPORTED = approved and handed to ROA in an export."""

    DRAFT = "DRAFT"
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    EXPORTED = "EXPORTED"


class PaymentMethod(StrEnum):
    """How the receipt was paid; decides the credit account of its entries."""

    CASH = "cash"
    CARD = "card"
    ADVANCE = "advance"
    SUPPLIER = "supplier"


@dataclass(frozen=True, slots=True)
class VatLine:
    """One VAT rate group of a receipt: rate in percent (0 = 0% or exempt), net base and VAT in bani."""

    rate: int
    base_bani: int
    vat_bani: int

    @property
    def gross_bani(self) -> int:
        """Base plus VAT."""
        return self.base_bani + self.vat_bani


@dataclass(frozen=True, slots=True)
class ReceiptFields:
    """What a user (or the OCR) fills in. Every field may be empty while the receipt is a draft."""

    supplier_partner_id: int | None = None
    supplier_name: str | None = None
    supplier_cif: str | None = None
    document_number: str | None = None
    receipt_date: dt.date | None = None
    payment_method: PaymentMethod | None = None
    total_bani: int | None = None
    vat_lines: tuple[VatLine, ...] = ()
    expense_account: str | None = None
    deductible: bool = True
    buyer_cif_present: bool = False
    notes: str | None = None
    settlement_account: str | None = None  # paid from; None: the payment method's usual account (entries.PAID_FROM)

    def merged(self, changes: dict[str, Any]) -> ReceiptFields:
        """A copy with `changes` (field name → new value) applied."""
        return replace(self, **changes)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ReceiptFields))


@dataclass(frozen=True, slots=True)
class Attachment:
    """A stored file of a receipt; `storage_path` is relative to FILES_DIR and built by the app."""

    id: str
    receipt_id: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    storage_path: str
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt with its workflow data. `edited_fields` are fields a user set (OCR leaves them alone).

    `last_edited_by` is the user who last changed its content (fields or files; the creator until
    someone edits it; OCR filling a draft is not a user's edit), `submitted_by` who last sent it for
    approval: with `created_by`, the people four eyes keeps from approving it.
    """

    id: str
    company_id: int
    state: State
    version: int
    source: str
    fields: ReceiptFields
    edited_fields: frozenset[str]
    created_by: str
    created_by_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    last_edited_by: str | None = None
    last_edited_by_name: str | None = None
    last_edited_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    submitted_by: str | None = None
    submitted_by_name: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    rejection_reason: str | None = None
    exported_at: dt.datetime | None = None
    export_job_id: str | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audited action on a receipt: who, when, which transition, and a comment."""

    id: str
    receipt_id: str
    at: dt.datetime
    user_id: str | None
    username: str
    action: str
    from_state: str | None
    to_state: str | None
    comment: str | None
    name: str | None = None  # the person's display name then; None for entries written before it was kept


@dataclass(frozen=True, slots=True)
class ExportRelease:
    """An export an admin released: its receipts went back to APPROVED (how many, when, by whom); it is void."""

    job_id: str
    company_id: int
    receipts: int
    released_at: dt.datetime
    released_by: str
    released_by_name: str


@dataclass(frozen=True, slots=True)
class OcrRun:
    """One OCR pass over an attachment of a receipt: what it read, once read (`raw_text` is None until then).

    Where the pass is (queued, running, done, failed, cancelled), its attempts and error are its job's.
    """

    id: str
    receipt_id: str
    attachment_id: str
    job_id: str | None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    raw_text: str | None = None
    applied: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    requested_by: str = ""
    created_at: dt.datetime | None = None

    @property
    def read(self) -> bool:
        """Whether OCR's reading was saved (and the draft filled from it)."""
        return self.raw_text is not None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a user, or the system (the OCR job) with user_id None.

    `display_name` is the user's name for people ("Ana"); `name` falls back to the username without one.
    """

    user_id: str | None
    username: str
    display_name: str | None = None

    @property
    def name(self) -> str:
        """The name a person reads: the display name, else the username."""
        return (self.display_name or "").strip() or self.username


SYSTEM = Actor(None, "system")


def involved_in(receipt: Receipt, user_id: str) -> list[str]:
    """How `user_id` took part in the receipt's current content: 'created', 'last_edited', 'submitted'."""
    roles = {"created": receipt.created_by, "last_edited": receipt.last_edited_by, "submitted": receipt.submitted_by}
    return [role for role, who in roles.items() if who is not None and who == user_id]


def utc_now() -> dt.datetime:
    """Now, as naive UTC (how the app databases store timestamps)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
