"""`roa2web restore` checks everything before it changes anything, keeps what it replaced, and waits for stopped
servers and workers."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.backup.conftest import run
from tests.jobs.server_process import wait_for_line

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.fixture
def archive(env, data_dir: Path, tmp_path: Path) -> Path:
    """A backup of the init'ed data dir."""
    done = run(env, "backup", "--to", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def rewrite(archive: Path, target: Path, change: dict[str, bytes], *, update_manifest: bool) -> Path:
    """A copy of `archive` with members replaced; the manifest's sums follow them when `update_manifest`."""
    with zipfile.ZipFile(archive) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(change)
    if update_manifest:
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["entries"]:
            body = members[entry["name"]]
            entry.update(size=len(body), sha256=hashlib.sha256(body).hexdigest())
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as written:
        for name, body in members.items():
            written.writestr(name, body)
    return target


def refused(env, data_dir: Path, archive: Path, words: str, *, live: bool = False) -> None:
    """The restore fails with one line and leaves `data_dir` as it was.

    `live`: a server or worker runs on `data_dir` and writes its SQLite files itself (the queue polls, WAL
    checkpoints), so those are compared by name only; every other file byte for byte.
    """
    def state() -> dict[str, bytes | None]:
        files: dict[str, bytes | None] = dict(snapshot(data_dir))
        files.pop("in-use.lock", None)
        if live:
            files.update({name: None for name in files if name.endswith((".db", ".db-wal", ".db-shm", ".sqlite"))})
        return files

    before = state()
    done = run(env, "restore", str(archive))
    assert done.returncode == 1, done
    assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, done.stderr
    assert "nothing changed" in done.stderr
    after = state()
    if live:  # a WAL file may come and go with the writer's checkpoints; the databases themselves stay
        before = {name: body for name, body in before.items() if not name.endswith((".db-wal", ".db-shm"))}
        after = {name: body for name, body in after.items() if not name.endswith((".db-wal", ".db-shm"))}
    assert after == before
    assert not [path for path in data_dir.iterdir() if path.name.startswith((".before-restore-", ".restore-"))]


def test_a_tampered_member_is_refused_and_nothing_changes(env, data_dir: Path, archive: Path, tmp_path: Path):
    with zipfile.ZipFile(archive) as opened:
        app_db = bytearray(opened.read("databases/app.db"))
    app_db[-100] ^= 0xFF
    tampered = rewrite(archive, tmp_path / "tampered.zip", {"databases/app.db": bytes(app_db)}, update_manifest=False)
    refused(env, data_dir, tampered, "databases/app.db: its size or sha256 differs from the manifest")


def test_a_corrupt_database_is_refused_by_integrity_check_and_nothing_changes(env, data_dir, archive, tmp_path):
    with zipfile.ZipFile(archive) as opened:
        app_db = bytearray(opened.read("databases/app.db"))
    page = 4096
    app_db[2 * page: 6 * page] = b"\xa5" * (4 * page)  # b-tree pages overwritten: a malformed database
    corrupt = rewrite(archive, tmp_path / "corrupt.zip", {"databases/app.db": bytes(app_db)}, update_manifest=True)
    refused(env, data_dir, corrupt, "databases/app.db: PRAGMA integrity_check failed")


def test_what_is_not_a_backup_is_refused(env, data_dir: Path, archive: Path, tmp_path: Path):
    refused(env, data_dir, tmp_path / "absent.zip", "does not exist")
    (tmp_path / "text.zip").write_text("not a zip", encoding="utf-8")
    refused(env, data_dir, tmp_path / "text.zip", "cannot be read as a roa2web backup")
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    manifest["entries"][0]["name"] = "../escape.db"
    escaping = rewrite(archive, tmp_path / "escape.zip", {"manifest.json": json.dumps(manifest).encode(),
                                                          "../escape.db": b"x"}, update_manifest=False)
    refused(env, data_dir, escaping, "unsafe member name")
    assert not (data_dir.parent / "escape.db").exists()


def test_a_restore_over_an_install_keeps_what_it_replaced(env, data_dir: Path, archive: Path):
    with sqlite3.connect(data_dir / "app.db") as db:  # a change after the backup: the restore undoes it
        db.execute("UPDATE users SET display_name = 'after the backup'")
    db.close()
    replaced = (data_dir / "app.db").read_bytes()
    (data_dir / "receipts").mkdir()
    (data_dir / "receipts" / "late.png").write_bytes(b"late")
    done = run(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(data_dir / "app.db") as db:
        assert "after the backup" not in {row[0] for row in db.execute("SELECT display_name FROM users")}
    db.close()
    aside = [path for path in data_dir.iterdir() if path.name.startswith(".before-restore-")]
    assert len(aside) == 1 and f"kept what was replaced in {aside[0]}" in done.stdout
    assert (aside[0] / "app_db" / "app.db").read_bytes() == replaced
    assert (aside[0] / "receipts" / "receipts" / "late.png").read_bytes() == b"late"
    assert not (data_dir / "receipts").exists()  # the archive had no receipts folder
    moved = json.loads((aside[0] / "restore.json").read_text(encoding="utf-8"))["moved"]
    assert {"from": str(data_dir / "app.db"), "kept": str(aside[0] / "app_db" / "app.db")} in moved
    assert not [path for path in data_dir.iterdir() if path.name.startswith(".restore-")]


def test_a_restore_waits_for_the_worker_on_that_data_dir_to_stop(env, data_dir: Path, archive: Path, tmp_path: Path):
    log = tmp_path / "worker.log"
    with log.open("ab") as handle:
        worker = subprocess.Popen([sys.executable, "-m", "roa2web", "worker", "--threads", "1"],
                                  env={**env, "LOG_FORMAT": "text"}, stdout=handle, stderr=handle)
    try:
        wait_for_line(log, "consuming", timeout_s=120)
        refused(env, data_dir, archive, "a roa2web server or worker is running on", live=True)
    finally:
        worker.terminate()
        worker.wait(120)
    deadline = time.monotonic() + 60
    while (done := run(env, "restore", str(archive))).returncode != 0:  # the lock goes with the process
        assert time.monotonic() < deadline, done.stderr
    assert "app_db: " in done.stdout
