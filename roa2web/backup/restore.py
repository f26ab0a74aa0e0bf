"""`restore_archive`: put an archive back in place of a stopped install's databases and files.

Nothing of the install changes until the whole archive has been checked: every member's size and
sha256 against the manifest, and `PRAGMA integrity_check` of every database (on a copy extracted next
to the data). Then each database (with its -wal/-shm), jwt-secret, receipts/ and exports/ is moved
aside into `.before-restore-<time>/` (in DATA_DIR; FILES_DIR's folders in FILES_DIR) and the
archive's copy moved in. A failure half-way moves everything back.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from roa2web.backup import in_use
from roa2web.backup.manifest import MANIFEST_NAME, Manifest, ManifestError, new_hash
from roa2web.backup.sources import DATABASE_ROLES, FOLDER_ROLES, Layout, layout
from roa2web.settings import Settings

CHUNK = 1024 * 1024
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
ASIDE_PREFIX = ".before-restore-"


class RestoreRefused(Exception):
    """The archive or the install is not fit for a restore; nothing was changed. One line for the operator."""


@dataclass
class RestoreReport:
    """What a restore did."""

    manifest: Manifest
    restored: list[tuple[str, Path, int]] = field(default_factory=list)  # role, where, files
    kept_aside: list[Path] = field(default_factory=list)  # the folders holding what was replaced
    not_restored: list[str] = field(default_factory=list)


def integrity_problem(path: Path) -> str | None:
    """None when `PRAGMA integrity_check` says ok, else its first complaint."""
    try:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            rows = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def verify_archive(archive: Path, staging: Path) -> Manifest:
    """Extract `archive` into `staging`, checking every member and database; RestoreRefused at the first fault."""
    try:
        with zipfile.ZipFile(archive) as opened:
            try:
                manifest = Manifest.from_json(opened.read(MANIFEST_NAME))
            except KeyError:
                raise RestoreRefused(f"{archive} has no {MANIFEST_NAME}: not a roa2web backup") from None
            for entry in manifest.entries:
                target = staging / entry.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = new_hash(), 0
                with opened.open(entry.name) as member, target.open("wb") as copy:
                    while chunk := member.read(CHUNK):
                        digest.update(chunk)
                        copy.write(chunk)
                        size += len(chunk)
                if size != entry.size or digest.hexdigest() != entry.sha256:
                    raise RestoreRefused(f"{entry.name}: its size or sha256 differs from the manifest "
                                         "(the archive is damaged or was altered)")
    except (zipfile.BadZipFile, ManifestError, KeyError, OSError) as exc:
        if isinstance(exc, FileNotFoundError) and not archive.exists():
            raise RestoreRefused(f"{archive} does not exist") from None
        raise RestoreRefused(f"{archive} cannot be read as a roa2web backup: {exc}") from None
    for entry in manifest.entries:
        if entry.kind == "sqlite":
            problem = integrity_problem(staging / entry.name)
            if problem is not None:
                raise RestoreRefused(f"{entry.name}: PRAGMA integrity_check failed: {problem}")
    return manifest


class _Mover:
    """Moves paths and remembers how to move them back."""

    def __init__(self) -> None:
        self.done: list[tuple[Path, Path]] = []

    def move(self, source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
        self.done.append((source, target))

    def undo(self) -> None:
        for source, target in reversed(self.done):
            shutil.move(target, source)


def _plan(manifest: Manifest, places: Layout, staging: Path, report: RestoreReport) -> list[tuple[str, Path, Path]]:
    """(role, staged copy, target) for each database and file; folders (role, staged folder, target folder)."""
    plan: list[tuple[str, Path, Path]] = []
    for entry in manifest.entries:
        if entry.role in FOLDER_ROLES:
            continue
        target = places.target(entry.role)
        if target is None:
            report.not_restored.append(f"{entry.role}: in the archive, but this install keeps it elsewhere "
                                       f"({places.elsewhere.get(entry.role, 'not a file here')}); not restored")
            continue
        plan.append((entry.role, staging / entry.name, target))
    for role in FOLDER_ROLES:
        plan.append((role, staging / role, places.folders[role]))
    return plan


def _replace(plan: list[tuple[str, Path, Path]], manifest: Manifest, stamp: str, report: RestoreReport) -> None:
    mover = _Mover()
    try:
        for role, staged, target in plan:
            aside = target.parent / f"{ASIDE_PREFIX}{stamp}" / role
            companions = DATABASE_COMPANIONS if role in DATABASE_ROLES else ()
            for path in (target, *(target.with_name(target.name + suffix) for suffix in companions)):
                if path.exists():
                    mover.move(path, aside / path.name)
                    if aside.parent not in report.kept_aside:
                        report.kept_aside.append(aside.parent)
            if staged.exists():
                mover.move(staged, target)
            files = sum(1 for entry in manifest.entries if entry.role == role)
            report.restored.append((role, target, files))
            if role == "jwt_secret":
                target.chmod(0o600)
    except BaseException:
        mover.undo()
        raise
    for folder in report.kept_aside:
        moved = [{"from": str(source), "kept": str(kept)} for source, kept in mover.done if kept.is_relative_to(folder)]
        (folder / "restore.json").write_text(json.dumps({"archive_created_at": manifest.created_at, "moved": moved},
                                                        indent=2), encoding="utf-8")


def restore_archive(settings: Settings, archive: Path, *, now: dt.datetime | None = None) -> RestoreReport:
    """Verify `archive`, then replace the install's databases and files with it (server and workers stopped).

    RestoreRefused (nothing changed) when a server or worker runs on DATA_DIR, or the archive fails a check.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    data_dir = settings.data_dir
    try:
        with in_use.stopped(data_dir):
            staging = data_dir / f".restore-{stamp}"
            staging.mkdir(parents=True)
            try:
                manifest = verify_archive(archive, staging)
                report = RestoreReport(manifest)
                _replace(_plan(manifest, layout(settings), staging, report), manifest, stamp, report)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except in_use.DataDirInUse as exc:
        raise RestoreRefused(str(exc)) from None
    return report
