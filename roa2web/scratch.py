"""DATA_DIR/tmp: the scratch folder of form uploads and the XLSX writer, and its leftovers.

Its files are removed by whoever wrote them; a process killed mid-write leaves them behind. A day
old, no writer still wants one (the longest upload or export takes minutes), so a start sweeps
those away, even when another process on the same DATA_DIR is running.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger("roa2web.scratch")
LEFTOVER_AFTER_S = 86_400


def scratch_dir(data_dir: Path) -> Path:
    """DATA_DIR/tmp."""
    return data_dir / "tmp"


def sweep_leftovers(directory: Path, *, older_than_s: float = LEFTOVER_AFTER_S) -> int:
    """Delete the files in `directory` not written for `older_than_s`; how many went."""
    if not directory.is_dir():
        return 0
    cutoff = time.time() - older_than_s
    removed = 0
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:  # gone meanwhile, or still open on Windows: the next start tries again
            continue
    if removed:
        log.info("removed %d leftover file(s) from %s", removed, directory)
    return removed
