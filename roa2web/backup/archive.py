"""`create_backup`: one zip archive of an install, made while its server runs.

Each SQLite database is copied with SQLite's online backup API (`sqlite3.Connection.backup`) from a
read-only connection: one read transaction, so the copy is the database at one instant, and in WAL
mode the server's writers are never blocked. Databases first, then jwt-secret, receipts/ and
exports/ (files are written before the rows naming them), then the manifest. The archive is written
as `<name>.part` and renamed when complete, so a name without `.part` is always a whole archive.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
import tempfile
import threading
import zipfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from roa2web import __version__
from roa2web.backup.manifest import MANIFEST_NAME, Entry, Manifest, archive_name, new_hash
from roa2web.backup.sources import Layout, layout
from roa2web.settings import Settings

CHUNK = 1024 * 1024
# Already compressed: stored as they are (deflating them again costs time and saves nothing).
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".pdf", ".xlsx", ".zip", ".gz"})
# Files a writer has not finished yet (see data/README.md): not part of the install.
UNFINISHED_SUFFIXES = (".part", ".partial", ".tmp")


class BackupRefused(Exception):
    """The backup cannot be written there; the message is one line for the operator."""


class BackupCancelled(Exception):
    """The process is stopping: the unfinished archive was removed."""


@dataclass(frozen=True)
class BackupResult:
    """The archive written and what it holds."""

    archive: Path
    manifest: Manifest
    size: int


def _inside(path: Path, folder: Path) -> bool:
    path_text, folder_text = (os.path.normcase(str(p.resolve())) for p in (path, folder))
    try:
        return os.path.commonpath([path_text, folder_text]) == folder_text
    except ValueError:  # different drives on Windows
        return False


def check_destination(settings: Settings, to_dir: Path) -> None:
    """BackupRefused when `to_dir` is inside DATA_DIR or FILES_DIR (a backup there dies with the disk it guards)."""
    for variable, folder in (("DATA_DIR", settings.data_dir), ("FILES_DIR", settings.files_root)):
        if _inside(to_dir, folder):
            raise BackupRefused(f"refusing to write the backup into {to_dir}: it is inside {variable} ({folder}); "
                                "choose a folder elsewhere, ideally on another disk")


def _zip_time(path: Path) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(path.stat().st_mtime, 315_532_800))  # zip dates start in 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _add_file(archive: zipfile.ZipFile, path: Path, name: str) -> tuple[int, str]:
    """Stream `path` into the archive as `name`; its size and sha256."""
    info = zipfile.ZipInfo(name, date_time=_zip_time(path))
    info.compress_type = zipfile.ZIP_STORED if path.suffix.lower() in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
    digest, size = new_hash(), 0
    with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def snapshot_database(source: Path, copy: Path) -> None:
    """Copy the SQLite database `source` to `copy` with the online backup API, never writing to `source`."""
    uri = f"{source.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as reader, closing(sqlite3.connect(copy)) as writer:
        reader.backup(writer)  # every page in one step: one read transaction, one instant of the database


def _folder_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*")
                  if not path.name.startswith(".") and not path.name.endswith(UNFINISHED_SUFFIXES)
                  and path.is_file())


class _Writer:
    """Adds members to one archive and records their manifest entries."""

    def __init__(self, archive: zipfile.ZipFile, cancelled: threading.Event | None) -> None:
        self.archive = archive
        self.cancelled = cancelled
        self.entries: list[Entry] = []

    def add(self, path: Path, name: str, role: str, kind: str, source: Path) -> None:
        if self.cancelled is not None and self.cancelled.is_set():
            raise BackupCancelled("the backup was cancelled: the process is stopping")
        size, sha256 = _add_file(self.archive, path, name)
        self.entries.append(Entry(name, role, kind, str(source.absolute()), size, sha256))


def _write_members(writer: _Writer, places: Layout, scratch: Path) -> None:
    used: set[str] = set()
    for role, path in places.databases.items():
        if not path.is_file():
            continue
        name = f"databases/{path.name}" if f"databases/{path.name}" not in used else f"databases/{role}-{path.name}"
        used.add(name)
        copy = scratch / f"{role}.sqlite"
        snapshot_database(path, copy)
        writer.add(copy, name, role, "sqlite", path)
        copy.unlink()
    for role, path in places.files.items():
        if path.is_file():
            writer.add(path, f"files/{path.name}", role, "file", path)
    for role, folder in places.folders.items():
        for path in _folder_files(folder):
            try:
                writer.add(path, f"{role}/{path.relative_to(folder).as_posix()}", role, "file", path)
            except FileNotFoundError:  # removed meanwhile (an expired export): not part of the install any more
                continue


def create_backup(settings: Settings, to_dir: Path, *, now: dt.datetime | None = None,
                  cancelled: threading.Event | None = None) -> BackupResult:
    """Write `roa2web-backup-<UTC time>.zip` into `to_dir`: every SQLite database, jwt-secret, receipts/, exports/.

    Blocking (run it off the event loop). BackupRefused when `to_dir` is inside DATA_DIR or FILES_DIR or the
    name is taken; BackupCancelled when `cancelled` is set meanwhile; OSError as the disk reports it. No
    partial archive is left behind on any failure.
    """
    check_destination(settings, to_dir)
    to_dir.mkdir(parents=True, exist_ok=True)
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    final = to_dir / archive_name(moment)
    if final.exists():
        raise BackupRefused(f"{final} already exists: wait a second and run the backup again")
    partial = final.with_name(final.name + ".part")
    places = layout(settings)
    try:
        archive = zipfile.ZipFile(partial, "x", allowZip64=True)
    except FileExistsError:
        raise BackupRefused(f"another backup is writing {partial}: let it finish") from None
    try:
        with archive, tempfile.TemporaryDirectory(dir=to_dir, prefix=".roa2web-backup-") as scratch:
            writer = _Writer(archive, cancelled)
            _write_members(writer, places, Path(scratch))
            manifest = Manifest(
                created_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"), roa2web_version=__version__,
                host=socket.gethostname(), data_dir=str(settings.data_dir.absolute()),
                files_dir=str(settings.files_root.absolute()), entries=writer.entries,
                not_included=list(places.elsewhere.values()),
            )
            archive.writestr(MANIFEST_NAME, manifest.to_json(), compress_type=zipfile.ZIP_DEFLATED)
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(final, manifest, final.stat().st_size)
