"""Export files under DATA_DIR/exports/<job id>/<name>: written atomically, found again, expired.

One directory per job makes a re-run idempotent: a finished file there is the job's output, a
temporary file is the debris of an interrupted attempt and is removed before writing again.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

PARTIAL = ".partial"


class ExportFiles:
    """The exports directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def job_dir(self, job_id: str) -> Path:
        """The directory of one job's output."""
        if not job_id.isalnum():
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

    def finished(self, job_id: str) -> Path | None:
        """The job's complete output file, if one was written."""
        directory = self.job_dir(job_id)
        if not directory.is_dir():
            return None
        done = sorted(path for path in directory.iterdir() if path.is_file() and not path.name.endswith(PARTIAL))
        return done[0] if done else None

    def write(self, job_id: str, filename: str, render: Callable[[Path], None]) -> Path:
        """Render into a temporary file, then rename it into place (never a half-written output)."""
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise ValueError(f"not a plain file name: {filename!r}")
        directory = self.job_dir(job_id)
        directory.mkdir(parents=True, exist_ok=True)
        for debris in directory.glob(f"*{PARTIAL}"):
            debris.unlink(missing_ok=True)
        temporary = directory / f"{uuid.uuid4().hex}{PARTIAL}"
        try:
            render(temporary)
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            target = directory / filename
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        return target

    def resolve(self, result_ref: str) -> Path | None:
        """The file a job's result_ref ('<job id>/<name>') names, if it exists inside the root."""
        job_id, _, name = result_ref.partition("/")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        try:
            path = self.job_dir(job_id) / name
        except ValueError:
            return None
        return path if path.is_file() else None

    def delete_expired(self, ttl_s: float) -> int:
        """Remove job directories whose newest file is older than `ttl_s`; returns how many."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - ttl_s
        removed = 0
        for directory in self.root.iterdir():
            if not directory.is_dir():
                continue
            times = [path.stat().st_mtime for path in directory.iterdir()] or [directory.stat().st_mtime]
            if max(times) < cutoff:
                shutil.rmtree(directory, ignore_errors=True)
                removed += 1
        return removed
