"""What can go wrong in data entry, in domain terms; the HTTP layer maps each kind to a status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid field: where (`loc`, e.g. ("vat_lines", "0", "rate")), why, and a machine type."""

    loc: tuple[str, ...]
    msg: str
    type: str

    def to_dict(self) -> dict[str, object]:
        """The problem+json form."""
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


class DataEntryError(Exception):
    """Base of every data-entry failure; `kind` names the problem type."""

    kind = "data-entry-error"

    def __init__(self, detail: str, *, kind: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if kind:
            self.kind = kind


class NotFound(DataEntryError):
    """No such receipt, attachment, run or export (or not visible to this user)."""

    kind = "not-found"


class Forbidden(DataEntryError):
    """The user may not do this to this receipt (company rights, four-eyes, creator rules)."""

    kind = "forbidden"


class Conflict(DataEntryError):
    """The receipt is not in a state that allows this, or it changed meanwhile."""

    kind = "wrong-state"


class ValidationFailed(DataEntryError):
    """One or more fields are invalid."""

    kind = "validation-error"

    def __init__(self, errors: list[FieldError], detail: str = "the receipt is not valid") -> None:
        super().__init__(detail)
        self.errors = errors


class UploadRejected(DataEntryError):
    """The uploaded file is not an accepted type, is damaged, or is a decompression bomb."""

    kind = "upload-rejected"


class UploadTooLarge(DataEntryError):
    """The uploaded file is above the size limit."""

    kind = "upload-too-large"


class OcrUnavailable(DataEntryError):
    """OCR is switched off or its engine failed to load."""

    kind = "ocr-unavailable"
