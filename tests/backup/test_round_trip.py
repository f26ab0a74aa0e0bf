"""Done when (issue 13): backup → restore round-trips every database and file while the server was serving.

A real `roa2web serve` on a `roa2web init` data dir gets a user (the CLI), a receipt with a photo and an
export through its HTTP API; a writer keeps creating receipts while `roa2web backup` runs; the archive is
restored into a fresh data dir and a second server on it answers the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.backup.live import PASSWORD, Install, User, Writer, cli, demo_install, files_under, integrity, receipt, serve
from tests.support.rates import YEAR_2025
from tests.support.upload_files import image_bytes

pytestmark = pytest.mark.slow


def make_data(base: str, inst: Install) -> dict[str, object]:
    """A new user and a year of BNR rates (CLI); the user's receipt with a photo, submitted; a report export (HTTP)."""
    added = cli(inst, "users", "add", "casier", "--role", "operator", "--company", "all", "--password-stdin",
                stdin=f"{PASSWORD}\n")
    assert added.returncode == 0, added.stderr
    assert cli(inst, "rates", "import", str(YEAR_2025)).returncode == 0
    casier, reader = User(base, "casier"), User(base, "lector")
    created = casier.json("POST", "/api/data-entry/receipts", expect=201, json=receipt(2, "FOTO-1"))
    photo = image_bytes("PNG", size=(64, 48))
    casier.json("POST", f"/api/data-entry/receipts/{created['id']}/attachments", expect=201,
                files={"file": ("bon.png", photo, "image/png")})
    casier.json("POST", f"/api/data-entry/receipts/{created['id']}/submit")
    today = dt.date.today()
    export = reader.json("POST", "/api/reports/exports", expect=202, json={
        "report": "trial_balance", "format": "xlsx",
        "params": {"company_id": 2, "year": today.year, "month_from": 1, "month_to": today.month}})
    status = reader.wait(export["status_url"], lambda body: body["state"] in ("done", "failed"))
    assert status["state"] == "done", status
    download = status["downloads"]["xlsx"]
    exported = reader.http.get(download).content
    receipt_now = casier.json("GET", f"/api/data-entry/receipts/{created['id']}")
    attachment = receipt_now["attachments"][0]["id"]
    data = {"token": casier.token, "receipt": receipt_now, "photo": photo, "export_status": export["status_url"],
            "export_url": download, "export": exported,
            "attachment_url": f"/api/data-entry/receipts/{created['id']}/attachments/{attachment}"}
    casier.close()
    reader.close()
    return data


def test_backup_while_serving_then_restore_gives_every_database_and_file(tmp_path: Path):
    inst = demo_install(tmp_path / "original")
    backups, fresh = tmp_path / "backups", tmp_path / "restored" / "data"
    server = serve(inst)
    try:
        made = make_data(server.base, inst)
        files_before = files_under(inst.data_dir / "receipts") | {
            f"exports/{name}": body for name, body in files_under(inst.data_dir / "exports").items()}
        writer = Writer(server.base, "operator").start()
        writer.wait_for(3)
        written_before = list(writer.ids)
        backup = cli(inst, "backup", "--to", str(backups))
        written_during = len(writer.ids) - len(written_before)
        writer.wait_for(len(writer.ids) + 2)  # still writing after the backup ended
        written = writer.stop()
        assert backup.returncode == 0, backup.stderr
        archive = Path(backup.stdout.strip().splitlines()[-1])
        assert archive.parent == backups and archive.name.startswith("roa2web-backup-") and archive.suffix == ".zip"
        assert not list(backups.glob("*.part")) and list(backups.iterdir()) == [archive]
        for role in ("app_db", "data_entry_db", "queue", "cache", "ledger", "jwt_secret"):
            assert f"{role}: " in backup.stdout, backup.stdout

        restore = cli(inst, "restore", str(archive), "--data-dir", str(fresh))
        assert restore.returncode == 0, restore.stderr
        assert {"app.db", "receipts.db", "queue.db", "cache.db", "ledger-demo.sqlite", "jwt-secret"} <= {
            path.name for path in fresh.iterdir()}
        restored_files = files_under(fresh / "receipts") | {
            f"exports/{name}": body for name, body in files_under(fresh / "exports").items()}
        assert files_before.items() <= restored_files.items()  # byte-identical
        original_files = files_under(inst.data_dir / "receipts") | {
            f"exports/{name}": body for name, body in files_under(inst.data_dir / "exports").items()}
        assert all(original_files[name] == body for name, body in restored_files.items())

        copy = Install(tmp_path / "restored", fresh, {**inst.env, "DATA_DIR": str(fresh)}, inst.admin_password)
        second = serve(copy)
        try:
            _check_restored(second.base, server.base, made, written_before, written)
            refused = cli(copy, "restore", str(archive))
            assert refused.returncode == 1 and "running" in refused.stderr, refused
            assert len(refused.stderr.strip().splitlines()) == 1
            assert not [path for path in fresh.iterdir() if path.name.startswith((".before-restore", ".restore"))]
        finally:
            assert second.stop() == 0
        assert set(integrity(fresh).values()) == {"ok"}, integrity(fresh)
    finally:
        server.stop()
    print(f"receipts written while the backup ran: {written_during}")


def _check_restored(base: str, original_base: str, made: dict, written_before: list[str], written: list[str]) -> None:
    casier = User(base, "casier")  # the user the CLI added, with their password
    original = User(original_base, "casier")
    try:
        me = casier.http.get("/api/auth/me", headers={"Authorization": f"Bearer {made['token']}"})
        assert me.status_code == 200  # an access token of the original server: jwt-secret came back too
        receipt_id = made["receipt"]["id"]
        assert casier.json("GET", f"/api/data-entry/receipts/{receipt_id}") == made["receipt"]
        assert casier.http.get(made["attachment_url"]).content == made["photo"]
        reader = User(base, "lector")
        assert reader.json("GET", made["export_status"])["state"] == "done"
        assert reader.http.get(made["export_url"]).content == made["export"]
        reader.close()
        operator, original_operator = User(base, "operator"), User(original_base, "operator")
        present = 0
        for number, receipt_id in enumerate(written):
            response = operator.http.get(f"/api/data-entry/receipts/{receipt_id}")
            if number < len(written_before):
                assert response.status_code == 200, receipt_id  # acknowledged before the backup started
            if response.status_code == 200:
                present += 1
                assert response.json() == original_operator.json("GET", f"/api/data-entry/receipts/{receipt_id}")
            else:
                assert response.status_code == 404
        assert len(written_before) <= present < len(written)
        operator.close()
        original_operator.close()
    finally:
        casier.close()
        original.close()
