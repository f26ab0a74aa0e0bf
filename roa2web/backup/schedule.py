"""The daily backup, run by `roa2web serve` and `roa2web worker` when BACKUP_DIR is set.

Each process checks every few minutes, off the event loop, whether BACKUP_DIR holds an archive made
since the day's BACKUP_HOUR (the server's local time); if not, it writes one and keeps the newest
BACKUP_KEEP. It is a loop of the process rather than a Huey periodic task: with a Redis queue a
periodic task runs on whichever instance takes it, while what a backup copies (DATA_DIR) belongs to
one instance. Processes sharing a DATA_DIR (a server and a worker) or a BACKUP_DIR take turns under
a lock file in BACKUP_DIR, and the first to find the day's backup missing writes it; a server that
was down at BACKUP_HOUR catches up when it starts. A failure is logged, shown in /health ("backup"),
and tried again an hour later; it never stops the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from roa2web.backup.archive import BackupCancelled, BackupRefused, BackupResult, check_destination, create_backup
from roa2web.backup.retention import our_archives, prune
from roa2web.runtime import Part, Runtime
from roa2web.settings import Settings

log = logging.getLogger("roa2web.backup")
FIRST_CHECK_AFTER_S = 10.0  # let startup finish first
CHECK_EVERY_S = 300.0
RETRY_AFTER_FAILURE_S = 3600.0
LOCK_FILE_NAME = "roa2web-backup.lock"
STALE_AFTER = dt.timedelta(days=2)  # `roa2web check` warns when the newest archive is older


def due_since(now: dt.datetime, hour: int) -> dt.datetime:
    """The latest `hour`:00 in `now`'s time zone that is not after `now`."""
    slot = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return slot if slot <= now else slot - dt.timedelta(days=1)


class DailyBackup:
    """One process's daily backup: the loop, its last outcome, and its health."""

    def __init__(self, settings: Settings, folder: Path, *, first_check_after_s: float = FIRST_CHECK_AFTER_S) -> None:
        self.settings = settings
        self.folder = folder
        self.first_check_after_s = first_check_after_s
        self.cancelled = threading.Event()
        self.last: BackupResult | None = None
        self.last_error: str | None = None
        self.failed_at: dt.datetime | None = None
        self._task: asyncio.Task[None] | None = None

    def run_if_due(self, now: dt.datetime | None = None) -> BackupResult | None:
        """Blocking: write the day's archive unless there is one (or another process is writing it); prune."""
        now = now or dt.datetime.now(dt.UTC).astimezone()
        check_destination(self.settings, self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(self.folder / LOCK_FILE_NAME, timeout=0, is_singleton=False):
                archives = our_archives(self.folder)
                if archives and archives[-1][0] >= due_since(now, self.settings.backup_hour):
                    return None
                result = create_backup(self.settings, self.folder, cancelled=self.cancelled)
                removed = prune(self.folder, self.settings.backup_keep)
        except Timeout:
            return None  # another process on this folder is at it
        log.info("daily backup written: %s (%d bytes, %d files); %d old archive(s) removed, keeping %d",
                 result.archive, result.size, len(result.manifest.entries), len(removed), self.settings.backup_keep)
        return result

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_check_after_s)
        while True:
            wait = CHECK_EVERY_S
            try:
                result = await asyncio.to_thread(self.run_if_due)
                if result is not None:
                    self.last, self.last_error, self.failed_at = result, None, None
            except BackupCancelled:
                return
            except Exception as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                self.failed_at = dt.datetime.now(dt.UTC)
                log.error("daily backup into %s failed (trying again in %.0f min): %s", self.folder,
                          RETRY_AFTER_FAILURE_S / 60, self.last_error)
                wait = RETRY_AFTER_FAILURE_S
            await asyncio.sleep(wait)

    async def start(self) -> None:
        """Start the loop (the first check a few seconds after startup)."""
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the loop; a backup being written stops at its next file and leaves no archive."""
        self.cancelled.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def health(self) -> dict[str, Any]:
        """The folder, the last archive this process wrote, and the last failure if it is the latest outcome."""
        info: dict[str, Any] = {"status": "degraded" if self.last_error else "ok", "backup_dir": str(self.folder),
                                "keep": self.settings.backup_keep, "hour": self.settings.backup_hour}
        if self.last is not None:
            info.update(last_archive=str(self.last.archive), last_size_bytes=self.last.size)
        if self.last_error is not None and self.failed_at is not None:
            info.update(error=self.last_error, failed_at=self.failed_at.isoformat(timespec="seconds"))
        return info


def describe(settings: Settings, now: dt.datetime | None = None) -> tuple[str, str]:
    """(ok | degraded | down | off, one line): the daily backup's folder, and how old its newest archive is."""
    folder = settings.backup_dir
    if folder is None:
        return "off", "backup: BACKUP_DIR unset, no daily backup (`roa2web backup --to DIR` makes one by hand)"
    try:
        check_destination(settings, folder)
    except BackupRefused as exc:
        return "down", f"backup: {exc}"
    plan = f"daily from {settings.backup_hour:02d}:00 into {folder.resolve()}, keeping {settings.backup_keep}"
    archives = our_archives(folder)
    if not archives:
        return "ok", f"backup: {plan}; no archive yet"
    age = (now or dt.datetime.now(dt.UTC)) - archives[-1][0]
    line = f"backup: {plan}; newest {archives[-1][1].name} ({age.total_seconds() / 3600:.0f} h old)"
    return ("degraded" if age > STALE_AFTER else "ok"), line + (", older than 2 days" if age > STALE_AFTER else "")


def install_daily_backup(runtime: Runtime) -> DailyBackup | None:
    """Add the daily backup to a server's or worker's runtime when BACKUP_DIR is set."""
    folder = runtime.settings.backup_dir
    if folder is None:
        return None
    daily = DailyBackup(runtime.settings, folder)
    runtime.add_part(Part("backup", daily.health, start=daily.start, stop=daily.stop, required=False))
    return daily
