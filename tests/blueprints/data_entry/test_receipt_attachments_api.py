"""Attachments over HTTP: upload, download, delete, and attacks (bombs, wrong types, huge files, paths)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from quart.datastructures import FileStorage

from tests.support.data_entry import receipt_payload
from tests.support.upload_files import image_bytes, pdf_bytes, png_bomb

BASE = "/api/data-entry/receipts"


def upload(data: bytes, name: str = "bon.jpg", field: str = "file") -> dict[str, FileStorage]:
    return {field: FileStorage(io.BytesIO(data), filename=name, content_type="image/jpeg")}


async def new_receipt(client, headers, **overrides) -> str:
    response = await client.post(BASE, json=receipt_payload(**overrides), headers=headers)
    return (await response.get_json())["id"]


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


async def test_upload_download_and_delete(de_client, de_settings, as_user):
    ana, victor = await as_user("ana"), await as_user("victor")
    receipt_id = await new_receipt(de_client, ana)
    photo = image_bytes("PNG")
    response = await de_client.post(f"{BASE}/{receipt_id}/attachments", files=upload(photo, "poza.jpg"),
                                    headers=ana)
    assert response.status_code == 201, await response.get_data()
    attachment = await response.get_json()
    assert attachment["content_type"] == "image/png"  # by content, whatever the name says
    assert attachment["file_name"] == "poza.png"
    assert attachment["sha256"] == hashlib.sha256(photo).hexdigest()
    stored = list((de_settings.data_dir / "receipts" / "2" / "2025").glob("*.png"))
    assert len(stored) == 1 and stored[0].read_bytes() == photo

    download = await de_client.get(f"{BASE}/{receipt_id}/attachments/{attachment['id']}", headers=victor)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "image/png"
    assert await download.get_data() == photo
    receipt = await (await de_client.get(f"{BASE}/{receipt_id}", headers=ana)).get_json()
    assert [a["id"] for a in receipt["attachments"]] == [attachment["id"]]
    assert "storage_path" not in receipt["attachments"][0]

    pdf = await de_client.post(f"{BASE}/{receipt_id}/attachments", files=upload(pdf_bytes(), "scan"), headers=ana)
    assert (await pdf.get_json())["content_type"] == "application/pdf"
    assert (await de_client.delete(f"{BASE}/{receipt_id}/attachments/{attachment['id']}",
                                   headers=victor)).status_code == 403
    deleted = await de_client.delete(f"{BASE}/{receipt_id}/attachments/{attachment['id']}", headers=ana)
    assert deleted.status_code == 204
    assert not stored[0].exists()
    gone = await de_client.get(f"{BASE}/{receipt_id}/attachments/{attachment['id']}", headers=ana)
    assert gone.status_code == 404


async def test_files_follow_the_receipt_state(de_client, de_settings, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = await new_receipt(de_client, ana)
    first = await (await de_client.post(f"{BASE}/{receipt_id}/attachments", files=upload(image_bytes("JPEG")),
                                        headers=ana)).get_json()
    await de_client.post(f"{BASE}/{receipt_id}/submit", json={}, headers=ana)
    refused = await de_client.post(f"{BASE}/{receipt_id}/attachments", files=upload(image_bytes("JPEG")),
                                   headers=ana)
    assert refused.status_code == 409
    assert (await de_client.delete(f"{BASE}/{receipt_id}/attachments/{first['id']}",
                                   headers=ana)).status_code == 409
    await de_client.post(f"{BASE}/{receipt_id}/reject", json={"reason": "poza neclară"}, headers=bogdan)
    again = await de_client.post(f"{BASE}/{receipt_id}/attachments", files=upload(image_bytes("WEBP")), headers=ana)
    assert again.status_code == 201  # a rejected receipt may get a better photo

    draft = await new_receipt(de_client, ana)
    await de_client.post(f"{BASE}/{draft}/attachments", files=upload(image_bytes("TIFF")), headers=ana)
    assert len(files_under(de_settings.data_dir / "receipts")) == 3
    assert (await de_client.delete(f"{BASE}/{draft}", headers=ana)).status_code == 204
    assert len(files_under(de_settings.data_dir / "receipts")) == 2  # the draft's file went with it


async def test_attacks_are_refused_and_nothing_lands_outside_the_data_dir(de_client, de_settings, as_user, tmp_path):
    ana = await as_user("ana")
    receipt_id = await new_receipt(de_client, ana)
    url = f"{BASE}/{receipt_id}/attachments"
    before = files_under(tmp_path)
    limit = de_settings.data_entry_max_upload_mb * 1024 * 1024
    attacks = [
        (upload(png_bomb(30_000, 30_000), "bomb.png"), 422),
        (upload(b"MZ\x90\x00 not an image", "virus.jpg"), 415),
        (upload(b"<svg onload=alert(1)>", "x.svg"), 415),
        (upload(image_bytes("JPEG")[:300], "truncated.jpg"), 415),
        (upload(b"\xff\xd8\xff" + b"\x00" * limit, "huge.jpg"), 413),
        (upload(b"\xff\xd8\xff" + b"\x00" * (de_settings.max_content_length + 10), "huger.jpg"), 413),
        ({"other": FileStorage(io.BytesIO(image_bytes("PNG")), filename="a.png")}, 400),
    ]
    for files, status in attacks:
        response = await de_client.post(url, files=files, headers=ana)
        assert response.status_code == status, (files, await response.get_data())
        assert response.content_type == "application/problem+json"
    assert files_under(tmp_path) - before <= {p for p in files_under(tmp_path) if p.suffix in (".db", ".db-wal",
                                                                                                 ".db-shm")}

    for name in ("../../../escape.png", "..\\..\\escape.png", "/etc/cron.d/evil.png", "C:\\Windows\\evil.png",
                 "receipts/../../app.db"):
        response = await de_client.post(url, files=upload(image_bytes("PNG"), name), headers=ana)
        assert response.status_code == 201
        assert "/" not in (await response.get_json())["file_name"]
    written = files_under(tmp_path) - before
    receipts_dir = de_settings.data_dir.resolve() / "receipts"
    new_files = {p.resolve() for p in written if p.suffix == ".png"}
    assert len(new_files) == 5
    assert all(p.is_relative_to(receipts_dir) for p in new_files)
    assert not any(p.name.startswith(("escape", "evil")) for p in files_under(tmp_path))
