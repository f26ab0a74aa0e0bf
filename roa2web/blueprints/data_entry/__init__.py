"""`/api/data-entry`: receipts, their files and workflow, OCR, nomenclature and exports for ROA."""

from __future__ import annotations

from quart import Quart, Response

from roa2web.blueprints.data_entry import attachments, exports, nomenclature, ocr, receipts
from roa2web.data_entry.errors import (
    Conflict,
    DataEntryError,
    Forbidden,
    NotFound,
    OcrUnavailable,
    UploadRejected,
    UploadTooLarge,
    ValidationFailed,
)
from roa2web.errors import problem_response
from roa2web.runtime import Runtime

_STATUS: tuple[tuple[type[DataEntryError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (ValidationFailed, 400),
    (UploadRejected, 415),
    (UploadTooLarge, 413),
    (OcrUnavailable, 503),
)


async def _on_data_entry_error(error: DataEntryError) -> Response:
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
    errors = [e.to_dict() for e in error.errors] if isinstance(error, ValidationFailed) else None
    headers = {"Retry-After": "30"} if status == 503 else None
    return problem_response(status, error.detail, kind=error.kind, errors=errors, headers=headers)


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the data-entry blueprints and map domain errors to problem+json."""
    for module in (receipts, attachments, ocr, nomenclature, exports):
        app.register_blueprint(module.blueprint)
    app.register_error_handler(DataEntryError, _on_data_entry_error)
