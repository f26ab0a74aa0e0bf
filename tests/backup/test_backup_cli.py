"""`roa2web backup`: where it refuses to write, what the archive and its manifest hold, PostgreSQL left out."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

from roa2web import __version__
from tests.backup.conftest import run

pytestmark = pytest.mark.slow


def test_refuses_a_folder_inside_data_dir_or_files_dir_and_wants_a_destination(env, data_dir: Path, tmp_path: Path):
    files = tmp_path / "shared"
    for destination, extra, variable in ((data_dir / "backups", {}, "DATA_DIR"), (data_dir, {}, "DATA_DIR"),
                                         (files / "b", {"FILES_DIR": str(files)}, "FILES_DIR")):
        done = run({**env, **extra}, "backup", "--to", str(destination))
        assert done.returncode == 2, done
        assert len(done.stderr.strip().splitlines()) == 1 and f"inside {variable}" in done.stderr
        assert not list(tmp_path.rglob("roa2web-backup-*"))
    nowhere = run(env, "backup")
    assert nowhere.returncode == 2 and "--to DIR or set BACKUP_DIR" in nowhere.stderr
    assert len(nowhere.stderr.strip().splitlines()) == 1


def test_the_archive_holds_every_database_and_file_with_a_manifest_of_sha256_sums(env, data_dir: Path, tmp_path: Path):
    (data_dir / "receipts" / "2" / "2025").mkdir(parents=True)
    (data_dir / "receipts" / "2" / "2025" / "a.png").write_bytes(b"\x89PNG photo")
    (data_dir / "receipts" / "2" / "2025" / ".a.png.x1.part").write_bytes(b"half")  # an unfinished write
    (data_dir / "exports" / "job1").mkdir(parents=True)
    (data_dir / "exports" / "job1" / "balanta.csv").write_text("cont;sold\n", encoding="utf-8")
    backups = tmp_path / "backups"
    done = run({**env, "BACKUP_DIR": str(backups)}, "backup")  # BACKUP_DIR is the default destination
    assert done.returncode == 0, done.stderr
    archive = Path(done.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"roa2web-backup-\d{8}T\d{6}Z\.zip", archive.name) and archive.parent == backups
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        members = {name: opened.read(name) for name in opened.namelist() if name != "manifest.json"}
    assert manifest["roa2web_version"] == __version__ and manifest["data_dir"] == str(data_dir)
    entries = {entry["name"]: entry for entry in manifest["entries"]}
    assert set(entries) == set(members) == {
        "databases/app.db", "databases/receipts.db", "databases/ledger-demo.sqlite", "files/jwt-secret",
        "receipts/2/2025/a.png", "exports/job1/balanta.csv"}
    for name, body in members.items():
        assert entries[name]["size"] == len(body) and entries[name]["sha256"] == hashlib.sha256(body).hexdigest()
    assert entries["databases/app.db"]["source"] == str(data_dir / "app.db")
    assert entries["databases/app.db"]["role"] == "app_db" and entries["databases/app.db"]["kind"] == "sqlite"
    assert members["receipts/2/2025/a.png"] == b"\x89PNG photo"
    assert members["files/jwt-secret"] == (data_dir / "jwt-secret").read_bytes()
    assert manifest["not_included"] == []


def test_databases_on_postgresql_are_named_not_archived(env, data_dir: Path, tmp_path: Path):
    url = "postgresql://roa:s3cret@127.0.0.1:1/roa2web"
    done = run({**env, "APP_DB_URL": url, "DATA_ENTRY_DB_URL": url}, "backup", "--to", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout
    lines = [line for line in done.stdout.splitlines() if "PostgreSQL" in line]
    assert lines == [
        "app_db: on PostgreSQL (APP_DB_URL=postgresql://127.0.0.1:1/roa2web), not in the archive: "
        "back it up with pg_dump",
        "data_entry_db: on PostgreSQL (DATA_ENTRY_DB_URL=postgresql://127.0.0.1:1/roa2web), not in the archive: "
        "back it up with pg_dump",
    ]
    with zipfile.ZipFile(done.stdout.strip().splitlines()[-1]) as opened:
        names = opened.namelist()
        assert json.loads(opened.read("manifest.json"))["not_included"] == lines
    assert "databases/app.db" not in names and "databases/ledger-demo.sqlite" in names
