"""Report exports as files (XLSX, CSV, PDF): documents streamed from a report, rendered and stored.

Domain only: no HTTP, no queue. `service` is what the doors call: the HTTP door
(`blueprints/exports.py`) submits an export, the task door (`tasks/exports.py`) builds it.
"""

from roa2web.exports.document import ExportDocument, report_document
from roa2web.exports.files import ExportFiles
from roa2web.exports.naming import export_filename

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",  # the response adds "; charset=utf-8" to a text/* type
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "ExportDocument", "ExportFiles", "export_filename", "report_document"]
