"""`/api/data-entry/ocr`: upload a receipt photo → a DRAFT filled by a queued OCR job; watch the job.

An OCR job looks like every other job (the job resource, `JobOut`), plus what OCR read.
"""

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
from roa2web.blueprints.data_entry.schemas import ReceiptOut, api_field_names, ocr_fields, receipt_out
from roa2web.blueprints.job_resource import JobOut, job_fields, job_links, job_title
from roa2web.bounds import Int64
from roa2web.data_entry.ocr.flow import OCR_JOB, OCR_TITLE, LatestOcr, OcrStatus
from roa2web.data_entry.workflow.rules import ENTRY_ROLES, READ_ROLES
from roa2web.jobs.store import Job
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
    company_id: Int64


class FieldOut(BaseModel):
    """A value read from the photo (money in RON) and how sure the reading is (0 to 1)."""

    value: Any
    confidence: float = Field(ge=0, le=1)


class OcrJobOut(JobOut):
    """An OCR job; once done, every field read (by receipt field name), the text, and the receipt it filled."""

    receipt_id: str
    fields: dict[str, FieldOut]
    raw_text: str | None
    applied: list[str] = Field(description="the receipt fields the reading filled in")
    warnings: list[str]
    receipt: ReceiptOut


@job_links(OCR_JOB)
def ocr_links(job: Job) -> tuple[str, dict[str, str]]:
    """The status URL of an OCR job; it writes no files to download."""
    return f"{blueprint.url_prefix}/ocr/{job.id}", {}


@job_title(OCR_JOB)
def ocr_title(job: Job) -> str:
    """'Citire bon (OCR)'."""
    return OCR_TITLE


async def ocr_job_out(status: OcrStatus) -> OcrJobOut:
    """The job resource of an OCR job, with what its run read and the receipt."""
    status_url, downloads = ocr_links(status.job)
    run, receipt = status.run, status.receipt
    return OcrJobOut(
        **job_fields(status.job, status_url=status_url, downloads=downloads),
        receipt_id=run.receipt_id,
        fields={name: FieldOut(**field) for name, field in ocr_fields(run).items()},
        raw_text=run.raw_text, applied=api_field_names(run.applied), warnings=list(run.warnings),
        receipt=receipt_out(receipt, await data_entry().receipts.notices(receipt), LatestOcr(run, status.job)),
    )


async def _accepted(status: OcrStatus) -> tuple[OcrJobOut, int, dict[str, str]]:
    out = await ocr_job_out(status)
    return out, 202, {"Location": out.status_url}


@blueprint.post("/ocr")
@require_roles(*ENTRY_ROLES)
@ocr_accepting
@validate_request(OcrUpload, source=DataSource.FORM_MULTIPART)
@validate_response(OcrJobOut, 202)
@problems(400, 401, 403, 413, 415, 422, 503)
async def upload_photo(data: OcrUpload) -> tuple[OcrJobOut, int, dict[str, str]]:
    """Create a DRAFT receipt holding the photo and queue its OCR; poll `status_url` until it is done."""
    principal = ensure_company(data.company_id)
    content = await read_upload(data.photo)
    return await _accepted(await data_entry().ocr.upload(principal, data.company_id, content, data.photo.filename))


@blueprint.post("/receipts/<receipt_id>/ocr")
@ocr_accepting
@validate_response(OcrJobOut, 202)
@problems(401, 403, 404, 409, 503)
async def rerun(receipt_id: str) -> tuple[OcrJobOut, int, dict[str, str]]:
    """Read the DRAFT receipt's latest file again; fields the user edited are left as they are."""
    return await _accepted(await data_entry().ocr.rerun(current_principal(), receipt_id))


@blueprint.get("/ocr/<job_id>")
@require_roles(*READ_ROLES)
@ocr_enabled
@validate_response(OcrJobOut, 200)
@problems(401, 403, 404, 503)
async def ocr_status(job_id: str) -> OcrJobOut:
    """The job's state and progress; once done, every field read with its confidence."""
    return await ocr_job_out(await data_entry().ocr.status(current_principal(), job_id))
