"""`/api/data-entry/ocr`: upload a receipt photo → a DRAFT filled by a queued OCR job; watch the job."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint
from quart_schema import DataSource, validate_request, validate_response
from quart_schema.pydantic import File

from roa2web.blueprints.common import problems
from roa2web.blueprints.data_entry.common import data_entry, read_upload
from roa2web.blueprints.data_entry.schemas import ReceiptOut, ocr_fields, ocr_summary, receipt_out
from roa2web.data_entry.ocr_flow import OcrStarted
from roa2web.data_entry.workflow import ENTRY_ROLES, READ_ROLES
from roa2web.web.guards import current_principal, ensure_company, require_roles

blueprint = Blueprint("data_entry_ocr", __name__, url_prefix="/api/data-entry")


def ocr_enabled[F: Callable[..., Any]](func: F) -> F:
    """503 problem before anything else when OCR is switched off (OCR_ENABLED=false)."""

    @wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        data_entry().ocr.ensure_enabled()
        return await func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def ocr_accepting[F: Callable[..., Any]](func: F) -> F:
    """503 problem before reading the upload when OCR is off or this process's engine failed to load.

    Gated on settings, not on a local engine: with QUEUE_IN_PROCESS=false the job is read by
    `roa2web worker`, and this process only queues it.
    """

    @wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        data_entry().ocr.ensure_accepting()
        return await func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class OcrUpload(BaseModel):
    """A receipt photo (JPEG, PNG, WebP, TIFF; HEIC/HEIF with pillow-heif) or PDF, and the company it belongs to."""

    photo: File
    company_id: int


class OcrAccepted(BaseModel):
    """The queued job and the DRAFT receipt it fills."""

    job_id: str
    receipt_id: str


class FieldOut(BaseModel):
    """A value read from the photo (money in RON) and how sure the reading is (0 to 1)."""

    value: Any
    confidence: float = Field(ge=0, le=1)


class OcrStatusOut(BaseModel):
    """An OCR job: QUEUED, RUNNING, DONE or FAILED; the fields read (by receipt field name), the receipt."""

    job_id: str
    receipt_id: str
    state: str
    progress: int
    message: str
    attempts: int
    fields: dict[str, FieldOut]
    raw_text: str | None
    applied: list[str]
    warnings: list[str]
    error: str | None
    receipt: ReceiptOut


def _accepted(started: OcrStarted) -> tuple[OcrAccepted, int]:
    return OcrAccepted(job_id=started.job_id, receipt_id=started.receipt_id), 202


@blueprint.post("/ocr")
@require_roles(*ENTRY_ROLES)
@ocr_accepting
@validate_request(OcrUpload, source=DataSource.FORM_MULTIPART)
@validate_response(OcrAccepted, 202)
@problems(400, 401, 403, 413, 415, 503)
async def upload_photo(data: OcrUpload) -> tuple[OcrAccepted, int]:
    """Create a DRAFT receipt holding the photo and queue its OCR; poll GET /ocr/{job_id}."""
    principal = ensure_company(data.company_id)
    content = await read_upload(data.photo)
    return _accepted(await data_entry().ocr.upload(principal, data.company_id, content, data.photo.filename))


@blueprint.post("/receipts/<receipt_id>/ocr")
@ocr_accepting
@validate_response(OcrAccepted, 202)
@problems(401, 403, 404, 409, 503)
async def rerun(receipt_id: str) -> tuple[OcrAccepted, int]:
    """Read the DRAFT receipt's latest file again; fields the user edited are left as they are."""
    return _accepted(await data_entry().ocr.rerun(current_principal(), receipt_id))


@blueprint.get("/ocr/<job_id>")
@require_roles(*READ_ROLES)
@ocr_enabled
@validate_response(OcrStatusOut, 200)
@problems(401, 403, 404, 503)
async def ocr_status(job_id: str) -> OcrStatusOut:
    """The job's state and progress; once DONE, every field read with its confidence."""
    service = data_entry()
    status = await service.ocr.status(current_principal(), job_id)
    run = status.run
    return OcrStatusOut(
        job_id=job_id, receipt_id=run.receipt_id, state=run.state, progress=status.progress, message=status.message,
        attempts=run.attempts,
        fields={name: FieldOut(**field) for name, field in ocr_fields(run).items()},
        raw_text=run.raw_text, applied=ocr_summary(run).applied, warnings=list(run.warnings), error=run.error,
        receipt=receipt_out(status.receipt, await service.receipts.notices(status.receipt), run),
    )
