"""`/api/data-entry`: receipts, their files and workflow, OCR, nomenclature and exports for ROA."""

from __future__ import annotations

from quart import Quart

from roa2web.blueprints.data_entry import attachments, exports, nomenclature, ocr, receipts
from roa2web.runtime import Runtime


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the data-entry blueprints (their domain errors are Problems: the app's handler renders them)."""
    for module in (receipts, attachments, ocr, nomenclature, exports):
        app.register_blueprint(module.blueprint)
