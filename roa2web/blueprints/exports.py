"""`/api/reports/exports`: request an XLSX, CSV or PDF of a report (202), follow it, download it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from quart import Blueprint, Response, send_file
from quart_schema import validate_request, validate_response

from roa2web.blueprints.common import problems, runtime
from roa2web.blueprints.job_resource import JobOut, job_links, job_out, job_title
from roa2web.exports import FORMATS
from roa2web.exports.naming import content_disposition
from roa2web.exports.service import REPORT_EXPORT_JOB, ReportExportFiles, export_title, validate_export
from roa2web.jobs.service import JobService
from roa2web.jobs.store import STATE_LABELS, Job, JobState
from roa2web.problems import Conflict, FieldError, Gone, NotFound, ValidationFailed
from roa2web.reports import REPORTS, ReportParameterError
from roa2web.web.caching import private_no_store
from roa2web.web.guards import current_principal, ensure_company

blueprint = Blueprint("exports", __name__, url_prefix="/api/reports/exports")


class ExportRequest(BaseModel):
    """Which report, with which parameters, in which format."""

    report: str = Field(examples=["trial_balance"], description=f"one of: {', '.join(REPORTS)}")
    params: dict[str, Any] = Field(
        examples=[{"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}],
        description="the report's own parameters, company_id included",
    )
    format: Literal["xlsx", "csv", "pdf"] = Field(
        default="xlsx", description="xlsx; csv (UTF-8 with BOM, `;`, decimal comma, as Romanian Excel opens it); pdf")


@job_links(REPORT_EXPORT_JOB)
def export_links(job: Job) -> tuple[str, dict[str, str]]:
    """The status URL of an export job and, once it is done, `{format: download URL}`."""
    status_url = f"{blueprint.url_prefix}/{job.id}"
    done = job.state == JobState.DONE and bool(job.result_ref)
    return status_url, {str(job.params.get("format", "xlsx")): f"{status_url}/download"} if done else {}


@job_title(REPORT_EXPORT_JOB)
def export_job_title(job: Job) -> str:
    """'Balanța de verificare, martie 2025 (XLSX)'."""
    return export_title(job.params)


def _service() -> JobService:
    return runtime().jobs


async def _export_job(job_id: str) -> Job:
    """The export job if the caller owns it or is an admin, else 404."""
    job = await _service().get(job_id)
    principal = current_principal()
    if job is None or job.kind != REPORT_EXPORT_JOB or not (principal.is_admin or job.owner_id == principal.user_id):
        raise NotFound(f"Nu există exportul {job_id}.", kind="export-not-found")
    return job


@blueprint.post("")
@validate_request(ExportRequest)
@validate_response(JobOut, 202)
@problems(400, 401, 403, 503)
async def request_export(data: ExportRequest) -> tuple[JobOut, int, dict[str, str]]:
    """Queue an export of a report the caller may see; poll `status_url` until it is done."""
    try:
        export = validate_export(data.report, data.format, data.params)  # UnknownReport → 400
    except ReportParameterError as exc:  # its field is under the request's "params"
        at_params = FieldError(("params", exc.field), exc.message, "value_error")
        raise ValidationFailed(exc.detail, errors=[at_params]) from None
    principal = ensure_company(export.company_id)
    job = await _service().submit(REPORT_EXPORT_JOB, export.job_params(), owner_id=principal.user_id,
                                  company_id=export.company_id)  # QueueUnavailable → 503
    status_url, downloads = export_links(job)
    return job_out(job, status_url=status_url, downloads=downloads), 202, {"Location": status_url}


@blueprint.get("/<job_id>")
@validate_response(JobOut, 200)
@problems(401, 404)
async def export_status(job_id: str) -> JobOut:
    """State and progress of an export; `downloads` holds its file's link once it is done."""
    job = await _export_job(job_id)
    status_url, downloads = export_links(job)
    return job_out(job, status_url=status_url, downloads=downloads)


@blueprint.get("/<job_id>/download")
@problems(401, 404, 409, 410)
async def download_export(job_id: str) -> Response:
    """The file, with a Romanian name (balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx)."""
    job = await _export_job(job_id)
    if job.state != JobState.DONE or not job.result_ref:
        raise Conflict(f"Exportul nu este gata: este {STATE_LABELS[job.state]}.", kind="export-not-ready")
    path = ReportExportFiles.from_settings(runtime().settings).resolve(job.result_ref)
    if path is None:
        raise Gone("Fișierul exportului a expirat; cereți exportul din nou.", kind="export-expired")
    response = await send_file(path, mimetype=FORMATS[path.suffix.lstrip(".")], as_attachment=False)
    response.headers["Content-Disposition"] = content_disposition(path.name)
    return private_no_store(response)
