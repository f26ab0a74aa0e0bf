"""Receipt files on disk: `receipts/<company>/<yyyy>/<uuid>.<ext>` under FILES_DIR, paths we build only.

FILES_DIR (default DATA_DIR) may be a folder every instance shares (a network share): a file is
written under a temporary name unique to this writer, in the same directory, then renamed into
place, so no instance ever reads a half-written photo.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path, PurePosixPath

from roa2web.data_entry.filetypes import EXTENSIONS


class FileStore:
    """Receipt files under `FILES_DIR/receipts`; paths come only from ids the app generated."""

    def __init__(self, files_dir: Path) -> None:
        self.base = files_dir.resolve()
        self.root = self.base / "receipts"

    def new_path(self, company_id: int, year: int, extension: str) -> str:
        """A fresh relative path `receipts/<company>/<yyyy>/<uuid>.<ext>` (posix separators)."""
        if extension not in EXTENSIONS.values():
            raise ValueError(f"unexpected extension {extension!r}")
        return f"receipts/{int(company_id)}/{int(year):04d}/{uuid.uuid4().hex}.{extension}"

    def resolve(self, relative: str) -> Path:
        """The absolute path of a stored file, refusing anything outside the receipts folder."""
        path = (self.base / PurePosixPath(relative)).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"refusing a storage path outside {self.root}")
        return path

    def write(self, relative: str, data: bytes) -> None:
        """Write atomically (a temporary file of this writer's own, flushed to disk, then renamed)."""
        path = self.resolve(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            with temporary.open("xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)

    def read(self, relative: str) -> bytes:
        """The bytes of a stored file."""
        return self.resolve(relative).read_bytes()

    def remove(self, relative: str) -> None:
        """Delete a stored file if it is there."""
        self.resolve(relative).unlink(missing_ok=True)
