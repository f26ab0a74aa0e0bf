"""Export files under FILES_DIR/exports/<job id>/<name>: written atomically, found again, expired.

One directory per job makes a re-run idempotent: a finished file there is the job's output. FILES_DIR
may be a folder several instances share, so two of them may write the same job's export at once (a
job taken back from an instance thought dead): each writes its own temporary file (a unique name
in the job's directory) and renames it into place. A temporary file is another writer's work in
progress while it is fresh; only one untouched for `DEBRIS_AGE_S` is the debris of an interrupted
attempt and is removed. Expiry tolerates another instance expiring the same folders at the same time.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

PARTIAL = ".partial"
DEBRIS_AGE_S = 3600.0  # a temporary file nobody wrote to for this long belongs to a dead attempt


class ExportFiles:
    """The exports directory."""

    def __init__(self, root: Path, *, debris_age_s: float = DEBRIS_AGE_S) -> None:
        self.root = root
        self.debris_age_s = debris_age_s

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
        """Render into a temporary file of this writer's own, then rename it into place (never a half-written file)."""
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise ValueError(f"not a plain file name: {filename!r}")
        directory = self.job_dir(job_id)
        directory.mkdir(parents=True, exist_ok=True)
        self._remove_debris(directory)
        temporary = directory / f"{uuid.uuid4().hex}{PARTIAL}"
        try:
            render(temporary)
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            target = directory / filename
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        return target

    def _remove_debris(self, directory: Path) -> None:
        """Remove temporary files nobody wrote to for `debris_age_s` (fresh ones are other writers' work)."""
        cutoff = time.time() - self.debris_age_s
        for debris in directory.glob(f"*{PARTIAL}"):
            try:
                if debris.stat().st_mtime < cutoff:
                    debris.unlink()
            except FileNotFoundError:
                continue  # renamed into place or removed by its writer meanwhile

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
        """Remove job directories whose newest file is older than `ttl_s`; returns how many.

        Safe beside another instance doing the same on a shared folder: whatever it removed first is skipped.
        """
        try:
            directories = list(self.root.iterdir())
        except FileNotFoundError:
            return 0
        cutoff = time.time() - ttl_s
        removed = 0
        for directory in directories:
            try:
                if not directory.is_dir() or _newest_change(directory) >= cutoff:
                    continue
            except FileNotFoundError:
                continue  # being removed by another instance, or a file in it just renamed: next round decides
            shutil.rmtree(directory, ignore_errors=True)  # a file held open (a download on Windows) stays until then
            if not directory.exists():
                removed += 1
        return removed


def _newest_change(directory: Path) -> float:
    """The newest modification time in a job directory (the directory's own when it is empty)."""
    return max((path.stat().st_mtime for path in directory.iterdir()), default=directory.stat().st_mtime)
