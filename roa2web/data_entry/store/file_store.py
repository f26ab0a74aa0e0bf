"""Receipt files on disk: `receipts/<company>/<yyyy>/<uuid>.<ext>` under DATA_DIR, paths we build only."""

from __future__ import annotations

import os
import uuid
from pathlib import Path, PurePosixPath

from roa2web.data_entry.filetypes import EXTENSIONS


class FileStore:
    """Receipt files under `DATA_DIR/receipts`; paths come only from ids the app generated."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.root = self.data_dir / "receipts"

    def new_path(self, company_id: int, year: int, extension: str) -> str:
        """A fresh relative path `receipts/<company>/<yyyy>/<uuid>.<ext>` (posix separators)."""
        if extension not in EXTENSIONS.values():
            raise ValueError(f"unexpected extension {extension!r}")
        return f"receipts/{int(company_id)}/{int(year):04d}/{uuid.uuid4().hex}.{extension}"

    def resolve(self, relative: str) -> Path:
        """The absolute path of a stored file, refusing anything outside the receipts folder."""
        path = (self.data_dir / PurePosixPath(relative)).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"refusing a storage path outside {self.root}")
        return path

    def write(self, relative: str, data: bytes) -> None:
        """Write atomically (temporary file, then rename)."""
        path = self.resolve(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def read(self, relative: str) -> bytes:
        """The bytes of a stored file."""
        return self.resolve(relative).read_bytes()

    def remove(self, relative: str) -> None:
        """Delete a stored file if it is there."""
        self.resolve(relative).unlink(missing_ok=True)
