"""`roa2web backup [--to DIR]` and `roa2web restore ARCHIVE [--data-dir D]` (roa2web.backup)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from roa2web.backup.archive import BackupRefused, create_backup
from roa2web.backup.restore import RestoreRefused, restore_archive
from roa2web.settings import Settings


def size_text(size: int) -> str:
    """A byte count as people read it (`812 B`, `1.4 MB`)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    to_dir: Path | None = args.to or settings.backup_dir
    if to_dir is None:
        print("roa2web backup: no destination: give --to DIR or set BACKUP_DIR", file=sys.stderr)
        return 2
    try:
        result = create_backup(settings, to_dir)
    except BackupRefused as exc:
        print(f"roa2web backup: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"roa2web backup: failed, no archive written: {exc}", file=sys.stderr)
        return 1
    manifest = result.manifest
    for entry in manifest.entries:
        if entry.kind == "sqlite" or entry.role == "jwt_secret":
            print(f"{entry.role}: {entry.source} ({size_text(entry.size)})")
    for role in ("receipts", "exports"):
        files = [entry for entry in manifest.entries if entry.role == role]
        print(f"{role}: {len(files)} files ({size_text(sum(entry.size for entry in files))})")
    for line in manifest.not_included:
        print(line)
    print(f"archive: {size_text(result.size)}, {len(manifest.entries)} files")
    print(result.archive)
    return 0


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    if args.data_dir is not None:
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    try:
        report = restore_archive(settings, args.archive)
    except RestoreRefused as exc:
        print(f"roa2web restore: refused, nothing changed: {exc}", file=sys.stderr)
        return 1
    print(f"restored the backup of {report.manifest.created_at} (roa2web {report.manifest.roa2web_version}, "
          f"host {report.manifest.host}, DATA_DIR {report.manifest.data_dir})")
    for role, target, files in report.restored:
        print(f"{role}: {target}" + (f" ({files} files)" if role in ("receipts", "exports") else ""))
    for line in report.not_restored + report.manifest.not_included:
        print(line)
    for folder in report.kept_aside:
        print(f"kept what was replaced in {folder} (restore.json lists it): move it back to undo")
    if settings.files_shared:
        print(f"FILES_DIR ({settings.files_root}) is shared: every instance using it must be stopped during a restore")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `backup` and `restore`."""
    backup = subparsers.add_parser("backup", help="archive every SQLite database and file (the server may run)")
    backup.add_argument("--to", type=Path, help="the folder for the archive (default BACKUP_DIR)")
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", help="replace the databases and files by an archive's (server stopped)")
    restore.add_argument("archive", type=Path, help="a roa2web-backup-*.zip")
    restore.add_argument("--data-dir", type=Path, help="restore into this DATA_DIR (default: DATA_DIR)")
    restore.set_defaults(handler=_restore)
