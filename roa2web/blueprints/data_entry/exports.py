"""`/api/data-entry/exports`: approved receipts of a period → their entries as XLSX and CSV for ROA.

An export whose files expired is rebuilt under its id (`rebuild`), or voided by an admin (`release`),
which sends its receipts back to APPROVED for a new export.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from quart import Blueprint, Response
from quart_schema import validate_querystring, validate_request, validate_response

from roa2web.blueprints.common import problems
from roa2web.blueprints.data_entry.common import data_entry
from roa2web.blueprints.job_resource import JobOut, job_fields, job_links, job_title
from roa2web.bounds import Int64
from roa2web.data_entry.errors import Conflict, ExportReleased
from roa2web.data_entry.export.service import EXPORT_JOB, export_title, released_detail
from roa2web.data_entry.model import ExportRelease
from roa2web.data_entry.workflow.rules import DECIDE_ROLES
from roa2web.dates import IsoDate
from roa2web.jobs.store import Job, JobState
from roa2web.problems import Gone
from roa2web.web.caching import private_no_store
from roa2web.web.guards import current_principal, ensure_company, require_roles

blueprint = Blueprint("data_entry_exports", __name__, url_prefix="/api/data-entry/exports")
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ExportRequest(BaseModel):
    """The company and the period (receipt dates, inclusive) to export."""

    company_id: Int64
    date_from: IsoDate
    date_to: IsoDate


class ExportReleaseOut(BaseModel):
    """An admin released the export: its receipts went back to APPROVED, and it is void."""

    released_at: dt.datetime
    released_by: str = Field(description="the admin's name: display name, else username")
    receipts: int = Field(description="how many receipts went back to APPROVED")


class ReceiptExportOut(JobOut):
    """An export job (the job resource): once done, `downloads` has its XLSX and CSV; how many receipts it holds.

    A released export holds none, offers no downloads, and says who released it (`release`).
    """

    company_id: int
    receipts: int
    release: ExportReleaseOut | None = None


class DownloadQuery(BaseModel):
    """Which file."""

    format: Literal["xlsx", "csv"] = "xlsx"


@job_links(EXPORT_JOB)
def export_links(job: Job) -> tuple[str, dict[str, str]]:
    """The status URL of a receipt export and, once it is done, `{format: download URL}` of its two files."""
    status_url = f"{blueprint.url_prefix}/{job.id}"
    done = job.state == JobState.DONE
    return status_url, {fmt: f"{status_url}/download?format={fmt}" for fmt in _MEDIA} if done else {}


@job_title(EXPORT_JOB)
def export_job_title(job: Job) -> str:
    """'Export în ROA, noiembrie 2025'."""
    return export_title(job.params)


async def _export_out(job: Job, release: ExportRelease | None = None) -> ReceiptExportOut:
    exports = data_entry().exports
    release = release or await exports.release_of(job.id)
    status_url, downloads = export_links(job)
    return ReceiptExportOut(
        **job_fields(job, status_url=status_url, downloads={} if release else downloads),
        company_id=job.company_id or 0, receipts=await exports.count(job.id),
        release=ExportReleaseOut(released_at=release.released_at, released_by=release.released_by_name,
                                 receipts=release.receipts) if release else None)


@blueprint.post("")
@require_roles(*DECIDE_ROLES)
@validate_request(ExportRequest)
@validate_response(ReceiptExportOut, 202)
@problems(400, 401, 403, 503)
async def start_export(data: ExportRequest) -> tuple[ReceiptExportOut, int, dict[str, str]]:
    """Queue the export; the company's APPROVED receipts dated in the period become EXPORTED. Poll `status_url`."""
    principal = ensure_company(data.company_id)
    job = await data_entry().exports.start(principal, data.company_id, data.date_from, data.date_to)
    out = await _export_out(job)
    return out, 202, {"Location": out.status_url}


@blueprint.get("/<job_id>")
@require_roles(*DECIDE_ROLES)
@validate_response(ReceiptExportOut, 200)
@problems(401, 403, 404)
async def export_status(job_id: str) -> ReceiptExportOut:
    """The export job's state; `downloads` has its files (`{format: url}`) once it is done."""
    return await _export_out(await data_entry().exports.job(current_principal(), job_id))


@blueprint.get("/<job_id>/download")
@require_roles(*DECIDE_ROLES)
@validate_querystring(DownloadQuery)
@problems(401, 403, 404, 409, 410)
async def download_export(job_id: str, query_args: DownloadQuery) -> Response:
    """The export as XLSX or CSV (409 until the job is done, 410 once its files expired)."""
    exports = data_entry().exports
    job = await exports.job(current_principal(), job_id)
    release = await exports.release_of(job.id)
    if release is not None:  # its receipts may be in a newer export: this file must not reach ROA as well
        raise Gone(f"{released_detail(release)} Fișierele lui nu se mai descarcă.", kind=ExportReleased.kind)
    if job.state != JobState.DONE:
        raise Conflict("Exportul nu este gata; descărcați-l după ce se termină.", kind="export-not-ready")
    path = exports.file(job.id, job.company_id or 0, query_args.format)
    try:
        if path is None:
            raise FileNotFoundError(job.id)
        content = await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:  # expired (EXPORT_TTL_HOURS), possibly while we were reading it
        raise Gone("Fișierul exportului a expirat sau lipsește; refaceți-l (POST …/rebuild) sau porniți un "
                   "export nou.", kind="export-expired") from None
    response = Response(content, content_type=_MEDIA[query_args.format])
    response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return private_no_store(response)


@blueprint.post("/<job_id>/rebuild")
@require_roles(*DECIDE_ROLES)
@validate_response(ReceiptExportOut, 202)
@problems(401, 403, 404, 409, 503)
async def rebuild_export(job_id: str) -> tuple[ReceiptExportOut, int, dict[str, str]]:
    """Write a finished export's files again (expired ones, EXPORT_TTL_HOURS), from the receipts it holds.

    The export keeps its id and its receipts; its job runs again and the files are the same as the
    first ones. Poll `status_url`. 409 when the export was released, is still running or holds no receipt.
    """
    job = await data_entry().exports.rebuild(current_principal(), job_id)
    out = await _export_out(job)
    return out, 202, {"Location": out.status_url}


@blueprint.post("/<job_id>/release")
@require_roles("admin")
@validate_response(ReceiptExportOut, 200)
@problems(401, 403, 404, 409)
async def release_export(job_id: str) -> ReceiptExportOut:
    """Void a finished export (admin): the receipts it holds go back to APPROVED, each with a history entry.

    The export is then neither downloaded (410) nor rebuilt (409); its receipts can go into a new
    export. Releasing it again is a 409.
    """
    exports = data_entry().exports
    release = await exports.release(current_principal(), job_id)
    await asyncio.to_thread(exports.discard_files, release.job_id)
    return await _export_out(await exports.job(current_principal(), job_id), release)
