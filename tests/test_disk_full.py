"""The data dir's disk full: every write answers a clear 507 problem+json; the log holds one clear line
per failure and no traceback (requests, the queue's maintenance, the report cache); everything works
again once space is back. A real server on a real full file system (an 8 MB tmpfs as DATA_DIR); then
FILES_DIR alone on a full disk."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from quart.datastructures import FileStorage

from roa2web.app import create_app
from tests.conftest import add_user, login
from tests.jobs.server_process import free_port, wait_ready
from tests.support.data_entry import receipt_payload
from tests.support.upload_files import image_bytes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None,
                       reason="mounts a small tmpfs: Linux as root (the CI here runs as root)"),
]
PASSWORD = "parola-disk-123"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs, unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def call(base: str, method: str, path: str, body: object = None, token: str = "") -> tuple[int, str, dict]:
    """(status, content type, JSON body) of one request."""
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers["Content-Type"], json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read() or b"null")


def fill(directory: Path) -> None:
    """A filler file taking every free byte of the file system."""
    with (directory / "filler.bin").open("wb", buffering=0) as handle:
        for size in (1 << 20, 4096, 1):
            with suppress(OSError):
                while True:
                    handle.write(b"\0" * size)
    with pytest.raises(OSError) as full, (directory / "probe").open("wb", buffering=0) as probe:
        probe.write(b"\0" * 4096)
    assert full.value.errno == errno.ENOSPC


def test_a_full_data_dir_answers_507_problems_then_recovers(small_disk: Path, tmp_path: Path, demo_ledger_path: Path):
    data = small_disk / "data"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(DATA_DIR=str(data), LEDGER_PATH=str(demo_ledger_path), ROA2WEB_ENV_FILE=str(tmp_path / "none.env"),
               OCR_ENABLED="false", BNR_RATES_ENABLED="false", LOG_FORMAT="json",
               QUEUE_HEARTBEAT_S="0.5")
    subprocess.run([sys.executable, "-m", "roa2web", "init"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "roa2web", "users", "add", "ana", "--role", "operator", "--company", "all",
                    "--password-stdin"], env=env, input=f"{PASSWORD}\n".encode(), check=True, capture_output=True,
                   timeout=120)
    port, log = free_port(), tmp_path / "server.log"
    with log.open("wb") as handle:
        server = subprocess.Popen([sys.executable, "-m", "roa2web", "serve", "--port", str(port)], env=env,
                                  stdout=handle, stderr=handle)
    base = f"http://127.0.0.1:{port}"
    receipt = {"company_id": 1, "supplier_name": "ALFA PETROL SRL", "supplier_cif": "RO12345674",
               "document_number": "DISK-1", "receipt_date": time.strftime("%Y-%m-%d"), "payment_method": "cash",
               "total": 121.0, "vat_lines": [{"rate": 21, "base": 100.0, "vat": 21.0}], "expense_account": "6022"}
    try:
        wait_ready(port, server)
        status, _, login = call(base, "POST", "/api/auth/login", {"username": "ana", "password": PASSWORD})
        assert status == 200, login
        token = login["access_token"]
        fill(small_disk)
        before = log.stat().st_size

        status, kind, body = call(base, "POST", "/api/data-entry/receipts", receipt, token)
        assert (status, kind) == (507, "application/problem+json"), (status, body)
        assert body["type"].endswith("/insufficient-storage") and body["title"] == "Spațiu insuficient pe disc"
        assert "plin" in body["detail"] and body["request_id"]
        status, kind, body = call(base, "POST", "/api/auth/login", {"username": "ana", "password": PASSWORD})
        assert (status, kind) == (507, "application/problem+json"), (status, body)

        year = time.localtime().tm_year - 1  # a report never asked: its copy cannot be kept in the cache's L2
        status, _, body = call(base, "GET", f"/api/reports/trial-balance?company_id=1&year={year}&month_from=1"
                               "&month_to=12", token=token)
        assert status == 200, body  # reading still works
        deadline = time.monotonic() + 60
        while b"queue maintenance failed, disk full" not in log.read_bytes()[before:]:  # it runs every 0.5 s
            assert time.monotonic() < deadline and server.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.1)
        written = log.read_bytes()[before:].decode("utf-8", "replace")
        assert "Traceback" not in written, written[-3000:]
        assert "disk full on POST /api/data-entry/receipts" in written  # one clear line for the operator instead
        assert "(disk full)" in written  # the cache's

        (small_disk / "filler.bin").unlink()
        (small_disk / "probe").unlink(missing_ok=True)
        status, _, body = call(base, "POST", "/api/data-entry/receipts", receipt, token)
        assert status == 201, body
    finally:
        server.terminate()
        server.wait(60)


async def test_a_full_files_dir_answers_507_and_the_data_dir_keeps_working(small_disk: Path, settings_factory):
    """FILES_DIR (receipts/, exports/) on its own full disk: an upload is a 507 problem; nothing is left behind."""
    files_dir = small_disk / "files"
    app = create_app(settings_factory(files_dir=files_dir))
    async with app.test_app():
        await add_user(app, "olga", roles={"operator"})
        client = app.test_client()
        headers = await login(client, "olga")
        created = await client.post("/api/data-entry/receipts", json=receipt_payload(), headers=headers)
        assert created.status_code == 201, await created.get_data()  # the data dir (databases) is not full
        receipt_id = (await created.get_json())["id"]
        files_dir.mkdir()
        fill(small_disk)
        response = await client.post(f"/api/data-entry/receipts/{receipt_id}/attachments", headers=headers,
                                     files={"file": FileStorage(io.BytesIO(image_bytes("PNG")), filename="bon.png")})
        assert response.status_code == 507 and response.headers["Content-Type"] == "application/problem+json"
        body = await response.get_json()
        assert body["type"].endswith("/insufficient-storage") and "plin" in body["detail"]
        assert not [path for path in files_dir.rglob("*") if path.is_file()]  # no half-written photo left behind
        receipt = await (await client.get(f"/api/data-entry/receipts/{receipt_id}", headers=headers)).get_json()
        assert receipt["attachments"] == []
