"""What can go wrong in data entry, in domain terms; each error carries its status and problem type.

Titles and details are what the firm's people read: Romanian, with diacritics, naming receipt fields
by their Romanian labels (roa2web.data_entry.labels); the `kind` slugs stay English identifiers.
"""

from __future__ import annotations

from roa2web import problems
from roa2web.problems import FieldError

__all__ = [
    "Conflict",
    "DataEntryError",
    "ExportReleased",
    "FieldError",
    "Forbidden",
    "FourEyes",
    "ImageTooLarge",
    "NoExchangeRate",
    "NotFound",
    "OcrUnavailable",
    "UploadRejected",
    "UploadTooLarge",
    "ValidationFailed",
]


class DataEntryError(problems.Problem):
    """Base of every data-entry failure (a job that meets one fails at once: another try would not help)."""


class NotFound(DataEntryError, problems.NotFound):
    """No such receipt, attachment, run or export (or not visible to this user)."""


class Forbidden(DataEntryError, problems.Forbidden):
    """The user may not do this to this receipt (company rights, four-eyes, creator rules)."""


class FourEyes(Forbidden):
    """The approver created, last edited or submitted the receipt: someone else must approve it."""

    kind = "four-eyes"
    title = "Aprobarea cere pe altcineva"


class Conflict(DataEntryError, problems.Conflict):
    """The receipt is not in a state that allows this, or it changed meanwhile."""

    kind = "wrong-state"


class ExportReleased(Conflict):
    """An admin released the export: its receipts are APPROVED again, and it is neither rebuilt nor claimed."""

    kind = "export-released"


class NoExchangeRate(Conflict):
    """The 100 EUR limit decides the receipt's entries and no BNR rate is stored for the day before its date."""

    kind = "exchange-rate-missing"
    title = "Lipsește cursul BNR"


class ValidationFailed(DataEntryError, problems.ValidationFailed):
    """One or more fields are invalid."""

    def __init__(self, errors: list[FieldError], detail: str = "Bonul are câmpuri invalide.") -> None:
        super().__init__(detail, errors=errors)


class UploadRejected(DataEntryError):
    """The uploaded file is not an accepted type, is damaged, or is a decompression bomb."""

    status = 415
    kind = "upload-rejected"
    title = "Tip de fișier neacceptat"


class ImageTooLarge(UploadRejected):
    """The uploaded image has more pixels than the limit (DATA_ENTRY_MAX_IMAGE_MP), or is a decompression bomb.

    Told from its header, before any pixel is decoded; the bytes may be few, so it is not a 413.
    """

    status = 422
    kind = "image-too-large"
    title = "Imagine prea mare"


class UploadTooLarge(DataEntryError):
    """The uploaded file is above the size limit."""

    status = 413
    kind = "upload-too-large"
    title = "Fișier prea mare"


class OcrUnavailable(DataEntryError, problems.ServiceUnavailable):
    """OCR is switched off, its engine failed to load, or this process runs none: new OCR work is refused."""

    kind = "ocr-unavailable"
    title = "Citirea bonurilor (OCR) indisponibilă"
    retry_after_s = 30
