"""`/api/data-entry/receipts/{id}/attachments`: upload (checked by content), download, delete."""

from __future__ import annotations

from pydantic import BaseModel
from quart import Blueprint, Response
from quart_schema import DataSource, validate_request, validate_response
from quart_schema.pydantic import File

from roa2web.blueprints.common import problems
from roa2web.blueprints.data_entry.common import data_entry, read_upload
from roa2web.blueprints.data_entry.schemas import AttachmentOut, attachment_out
from roa2web.data_entry.workflow.rules import READ_ROLES
from roa2web.web.caching import private_no_store
from roa2web.web.guards import current_principal, require_roles

blueprint = Blueprint("data_entry_attachments", __name__, url_prefix="/api/data-entry/receipts")


class AttachmentUpload(BaseModel):
    """A JPEG, PNG, WebP, TIFF or PDF file, or HEIC/HEIF with pillow-heif (the type is read from its content)."""

    file: File


@blueprint.post("/<receipt_id>/attachments")
@validate_request(AttachmentUpload, source=DataSource.FORM_MULTIPART)
@validate_response(AttachmentOut, 201)
@problems(400, 401, 403, 404, 409, 413, 415, 422)
async def upload_attachment(receipt_id: str, data: AttachmentUpload) -> tuple[AttachmentOut, int]:
    """Attach a photo or PDF to a DRAFT or REJECTED receipt."""
    content = await read_upload(data.file)
    attachment = await data_entry().files.attach(current_principal(), receipt_id, content, data.file.filename)
    return attachment_out(attachment), 201


@blueprint.get("/<receipt_id>/attachments/<attachment_id>")
@require_roles(*READ_ROLES)
@problems(401, 403, 404)
async def download_attachment(receipt_id: str, attachment_id: str) -> Response:
    """The stored file, with its checked content type."""
    files = data_entry().files
    _, attachment = await files.find(current_principal(), receipt_id, attachment_id)
    response = Response(await files.content(attachment), content_type=attachment.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment.file_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Digest"] = f"sha-256={attachment.sha256}"
    return private_no_store(response)


@blueprint.delete("/<receipt_id>/attachments/<attachment_id>")
@problems(401, 403, 404, 409)
async def delete_attachment(receipt_id: str, attachment_id: str) -> tuple[str, int]:
    """Remove a file from a DRAFT receipt."""
    await data_entry().files.detach(current_principal(), receipt_id, attachment_id)
    return "", 204
