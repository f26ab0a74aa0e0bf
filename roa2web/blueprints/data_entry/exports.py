"""`/api/data-entry/exports`: approved receipts of a period → their entries as XLSX and CSV for ROA."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Literal

from pydantic import BaseModel
from quart import Blueprint, Response
from quart_schema import validate_querystring, validate_request, validate_response

from roa2web.blueprints.common import problems
from roa2web.blueprints.data_entry.common import data_entry
from roa2web.blueprints.data_entry.types import Timestamp
from roa2web.data_entry.errors import Conflict
from roa2web.data_entry.workflow import DECIDE_ROLES
from roa2web.errors import ApiError
from roa2web.web.guards import current_principal, ensure_company, require_roles

blueprint = Blueprint("data_entry_exports", __name__, url_prefix="/api/data-entry/exports")
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ExportRequest(BaseModel):
    """The company and the period (receipt dates, inclusive) to export."""

    company_id: int
    date_from: dt.date
    date_to: dt.date


class ExportAccepted(BaseModel):
    """The queued export job."""

    job_id: str


class ExportStatus(BaseModel):
    """An export job: its state and, once done, how many receipts it holds and where to get the files."""

    job_id: str
    company_id: int
    state: str
    progress: int
    message: str
    error: str | None
    receipts: int
    created_at: Timestamp
    downloads: dict[str, str]


class DownloadQuery(BaseModel):
    """Which file."""

    format: Literal["xlsx", "csv"] = "xlsx"


@blueprint.post("")
@require_roles(*DECIDE_ROLES)
@validate_request(ExportRequest)
@validate_response(ExportAccepted, 202)
@problems(400, 401, 403, 503)
async def start_export(data: ExportRequest) -> tuple[ExportAccepted, int]:
    """Queue the export; the company's APPROVED receipts dated in the period become EXPORTED."""
    principal = ensure_company(data.company_id)
    job = await data_entry().exports.start(principal, data.company_id, data.date_from, data.date_to)
    return ExportAccepted(job_id=job.id), 202


@blueprint.get("/<job_id>")
@require_roles(*DECIDE_ROLES)
@validate_response(ExportStatus, 200)
@problems(401, 403, 404)
async def export_status(job_id: str) -> ExportStatus:
    """The export job's state; `downloads` lists the files once it is done."""
    exports = data_entry().exports
    job = await exports.job(current_principal(), job_id)
    done = str(job.state) == "done"
    downloads = {fmt: f"/api/data-entry/exports/{job_id}/download?format={fmt}" for fmt in _MEDIA} if done else {}
    return ExportStatus(
        job_id=job.id, company_id=job.company_id, state=str(job.state), progress=job.progress, message=job.message,
        error=job.error, receipts=await exports.count(job.id), created_at=job.created_at, downloads=downloads,
    )


@blueprint.get("/<job_id>/download")
@require_roles(*DECIDE_ROLES)
@validate_querystring(DownloadQuery)
@problems(401, 403, 404, 409, 410)
async def download_export(job_id: str, query_args: DownloadQuery) -> Response:
    """The export as XLSX or CSV (409 until the job is done, 410 once its files expired)."""
    exports = data_entry().exports
    job = await exports.job(current_principal(), job_id)
    if str(job.state) != "done":
        raise Conflict(f"the export is {job.state}; download it once it is done", kind="export-not-ready")
    path = exports.file(job.id, int(job.company_id), query_args.format)
    try:
        if path is None:
            raise FileNotFoundError(job.id)
        content = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:  # expired (EXPORT_TTL_HOURS), possibly while we were reading it
        raise ApiError(410, "the export file has expired or is missing", kind="export-expired") from None
    response = Response(content, content_type=_MEDIA[query_args.format])
    response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
