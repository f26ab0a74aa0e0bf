"""The archives of ours in a backup folder, and keeping only the newest few (other files are never touched)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roa2web.backup.manifest import archive_time


def our_archives(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """Every complete `roa2web-backup-<time>.zip` in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    found = [(moment, path) for path in folder.iterdir()
             if (moment := archive_time(path.name)) is not None and path.is_file()]
    return sorted(found)


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives of ours; the paths removed."""
    archives = our_archives(folder)
    removed = [path for _, path in archives[: max(0, len(archives) - keep)]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
