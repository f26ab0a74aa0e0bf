"""Saving an XLSX so that the same rows and the same moment give the same bytes.

openpyxl stamps the document's "modified" property and every zip entry with the clock, so a file
written twice differs even when its cells do not. An export rebuilt from the same receipts should be
the same file as the one it replaces (a checksum, or ROA's import log, can tell them apart
otherwise): both stamps here are the export's own moment, the time it was started.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any


class _OneTimeZip(zipfile.ZipFile):
    """A zip being written whose every entry carries the same timestamp."""

    def __init__(self, path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def _entry(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # what ZipFile.writestr gives an entry named by a string
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        """Write `data` as an entry stamped with the zip's one time."""
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        """Copy a file (a write-only worksheet openpyxl spooled to disk) in as an entry stamped with the one time."""
        info = self._entry(str(arcname or Path(filename).name))
        with Path(filename).open("rb") as source, self.open(info, "w") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)


def save_reproducibly(workbook: Any, path: Path, made_at: dt.datetime) -> None:
    """Save an openpyxl workbook at `path` with `made_at` (UTC) as its creation, modification and zip entry time."""
    from openpyxl.writer.excel import ExcelWriter

    if made_at.tzinfo is not None:
        made_at = made_at.astimezone(dt.UTC).replace(tzinfo=None)
    made_at = made_at.replace(microsecond=0)
    workbook.properties.created = workbook.properties.modified = made_at
    archive = _OneTimeZip(path, (made_at.year, made_at.month, made_at.day, made_at.hour, made_at.minute,
                                 made_at.second))
    try:
        ExcelWriter(workbook, archive).save()  # what openpyxl's save_workbook does, without restamping "modified"
    finally:
        archive.close()  # an error halfway leaves no handle open on the file (Windows could not remove it)
