"""The data-entry module's services in one object (`runtime.data_entry`).

For the HTTP doors, the job handlers and the Telegram bot alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roa2web.appdb import AppDatabase
from roa2web.data_entry.export.service import ReceiptExports
from roa2web.data_entry.image_limits import DEFAULT_MAX_PIXELS
from roa2web.data_entry.jobs import JobQueue
from roa2web.data_entry.ocr.flow import OcrFlow, OcrReader
from roa2web.data_entry.store.file_store import FileStore
from roa2web.data_entry.workflow.exchange import EurRateLookup
from roa2web.data_entry.workflow.files import ReceiptFiles
from roa2web.data_entry.workflow.nomenclature import Nomenclature
from roa2web.data_entry.workflow.service import ReceiptService
from roa2web.ledger.base import Ledger


@dataclass(frozen=True)
class DataEntry:
    """Receipts, their files, OCR runs, exports and the nomenclature."""

    receipts: ReceiptService
    files: ReceiptFiles
    ocr: OcrFlow
    exports: ReceiptExports
    nomenclature: Nomenclature


def build_data_entry(
    *, db: AppDatabase, ledger: Ledger, files_dir: Path, max_upload_bytes: int, nomenclature_ttl_s: float,
    reader: OcrReader | None, jobs: Callable[[], JobQueue], eur_rate: EurRateLookup, ocr_enabled: bool | None = None,
    max_image_pixels: int = DEFAULT_MAX_PIXELS, ocr_min_confidence: float = 0.0,
) -> DataEntry:
    """Wire the module's services together (`ocr_enabled`: OCR_ENABLED; default: whether there is a reader).

    `files_dir` (FILES_DIR, else DATA_DIR): receipt files go under its receipts/, ROA exports under its exports/.

    `max_image_pixels` (DATA_ENTRY_MAX_IMAGE_MP): larger images are refused at upload, from their header.
    `eur_rate`: the BNR EUR rate published before a receipt's date (the 100 EUR limit).
    `ocr_min_confidence` (OCR_MIN_CONFIDENCE): fields OCR read less surely than this are left for the user.
    """
    nomenclature = Nomenclature(ledger, ttl_s=nomenclature_ttl_s)
    receipts = ReceiptService(db, ledger, nomenclature, eur_rate=eur_rate)
    files = ReceiptFiles(receipts, FileStore(files_dir), max_bytes=max_upload_bytes, max_pixels=max_image_pixels)
    return DataEntry(
        receipts=receipts,
        files=files,
        ocr=OcrFlow(receipts, files, reader=reader, jobs=jobs, enabled=ocr_enabled,
                    min_confidence=ocr_min_confidence),
        exports=ReceiptExports(receipts, files_dir / "exports", jobs=jobs),
        nomenclature=nomenclature,
    )
