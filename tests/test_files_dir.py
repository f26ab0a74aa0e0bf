"""FILES_DIR: receipt files and exports in one folder every instance shares; DATA_DIR stays per instance.

Two apps in this process stand for two machines: each its own DATA_DIR (cache, queue, secret), the
same app and data-entry databases (SQLite files both open) and the same FILES_DIR.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from quart import Quart
from quart.datastructures import FileStorage

from roa2web.app import create_app
from roa2web.cli.check import files_line
from roa2web.settings import Settings
from tests.conftest import add_user, login
from tests.support.cli_env import deployer_env
from tests.support.data_entry import receipt_payload, wait_for
from tests.support.upload_files import image_bytes

TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}
SECRET = "files-dir-test-secret-files-dir-test-secret-0123456789"


def instance(settings_factory: Callable[..., Settings], tmp_path: Path, name: str, **overrides: Any) -> Settings:
    """The settings of one instance: DATA_DIR of its own, FILES_DIR and databases shared."""
    shared = tmp_path / "shared-db"
    shared.mkdir(exist_ok=True)
    return settings_factory(
        data_dir=tmp_path / name, files_dir=tmp_path / "shared-files", jwt_secret_key=SECRET,
        app_db_url=f"sqlite:///{shared / 'app.db'}", data_entry_db_url=f"sqlite:///{shared / 'receipts.db'}",
        queue_max_delay_s=0.1, **overrides)


async def export_done(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    """Request a trial-balance export and wait until its job says done."""
    accepted = await client.post("/api/reports/exports", json={"report": "trial_balance", "params": TB,
                                                               "format": "xlsx"}, headers=headers)
    assert accepted.status_code == 202, await accepted.get_data()
    status_url = (await accepted.get_json())["status_url"]

    async def finished() -> dict[str, Any] | None:
        status = await (await client.get(status_url, headers=headers)).get_json()
        assert status["state"] not in {"failed", "cancelled"}, status
        return status if status["state"] == "done" else None

    return await wait_for(finished)


async def test_receipts_and_exports_live_under_files_dir(settings_factory, tmp_path):
    settings = instance(settings_factory, tmp_path, "a")
    app = create_app(settings)
    async with app.test_app():
        data_entry = app.extensions["roa2web"].services.data_entry
        assert data_entry.files.files.root == (tmp_path / "shared-files" / "receipts").resolve()
        assert data_entry.exports.files.root == tmp_path / "shared-files" / "exports"
        await add_user(app, "olga", roles={"operator", "viewer"})
        headers = await login(app.test_client(), "olga")
        status = await export_done(app.test_client(), headers)
    ref = status["downloads"]["xlsx"]
    assert ref.endswith("/download")
    exports = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*.xlsx"))
    assert len(exports) == 1 and exports[0].parts[:2] == ("shared-files", "exports")
    assert not (tmp_path / "a" / "exports").exists() and not (tmp_path / "a" / "receipts").exists()
    assert (tmp_path / "a" / "cache.db").exists() and (tmp_path / "a" / "queue.db").exists()  # per instance


async def test_an_export_done_on_a_downloads_on_b_and_a_photo_uploaded_to_b_reads_on_a(settings_factory, tmp_path):
    apps: list[Quart] = [create_app(instance(settings_factory, tmp_path, name)) for name in ("a", "b")]
    a, b = apps
    async with a.test_app(), b.test_app():
        await add_user(a, "olga", roles={"operator", "viewer"})
        on_a, on_b = a.test_client(), b.test_client()
        headers_a, headers_b = await login(on_a, "olga"), await login(on_b, "olga")

        status = await export_done(on_a, headers_a)
        download = await on_b.get(status["downloads"]["xlsx"], headers=headers_b)
        assert download.status_code == 200, await download.get_data()
        sheet = openpyxl.load_workbook(io.BytesIO(await download.get_data())).active
        assert any(row[0] == "TOTAL" for row in sheet.iter_rows(values_only=True))

        created = await on_b.post("/api/data-entry/receipts", json=receipt_payload(), headers=headers_b)
        assert created.status_code == 201, await created.get_data()
        receipt_id = (await created.get_json())["id"]
        photo = image_bytes("PNG")
        uploaded = await on_b.post(f"/api/data-entry/receipts/{receipt_id}/attachments", headers=headers_b,
                                   files={"file": FileStorage(io.BytesIO(photo), filename="bon.png")})
        assert uploaded.status_code == 201, await uploaded.get_data()
        attachment = await uploaded.get_json()
        read = await on_a.get(f"/api/data-entry/receipts/{receipt_id}/attachments/{attachment['id']}",
                              headers=headers_a)
        assert read.status_code == 200 and await read.get_data() == photo
    assert not (tmp_path / "b" / "receipts").exists() and not (tmp_path / "a" / "exports").exists()


def test_check_says_where_files_are_and_warns_when_a_redis_queue_has_them_per_instance(tmp_path, settings_factory):
    alone = settings_factory(data_dir=tmp_path / "data")
    assert files_line(alone) == ("ok", f"files: receipts/ and exports/ in the data dir {(tmp_path / 'data').resolve()}")
    status, message = files_line(settings_factory(data_dir=tmp_path / "data", queue_backend="redis"))
    assert status == "degraded" and "not shared" in message and "set FILES_DIR" in message
    same = settings_factory(data_dir=tmp_path / "data", files_dir=tmp_path / "data" / ".", queue_backend="redis")
    assert files_line(same)[0] == "degraded"  # FILES_DIR naming DATA_DIR is not a shared folder
    missing = settings_factory(data_dir=tmp_path / "data", files_dir=tmp_path / "share", queue_backend="redis")
    status, message = files_line(missing)
    assert status == "down" and "does not exist" in message
    (tmp_path / "share").mkdir()
    assert files_line(missing) == ("ok", f"files: receipts/ and exports/ in {(tmp_path / 'share').resolve()} "
                                         "(FILES_DIR), writable")


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_init_creates_files_dir_and_check_prints_the_files_line(tmp_path, demo_ledger_path):
    shared = tmp_path / "share" / "roa2web"
    env = deployer_env(tmp_path, demo_ledger_path, FILES_DIR=str(shared), QUEUE_BACKEND="redis",
                       QUEUE_NAME="roa2web-files-check")
    initialized = run(env, "init")
    assert initialized.returncode == 0, initialized.stderr
    assert shared.is_dir() and f"under {shared}" in initialized.stdout

    def files_of(result: subprocess.CompletedProcess) -> str:
        return next(line for line in result.stdout.splitlines() if " files" in line[:10])

    shared_check, alone_check = run(env, "check"), run({**env, "FILES_DIR": ""}, "check")
    assert files_of(shared_check).startswith("OK   files: ") and str(shared) in files_of(shared_check)
    assert files_of(alone_check).startswith("WARN files: in the data dir"), alone_check.stdout
    assert "not shared" in files_of(alone_check)
