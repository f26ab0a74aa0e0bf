"""HEIC/HEIF photos (iPhones) over HTTP: accepted when pillow-heif is installed, else a clear 415."""

from __future__ import annotations

import importlib.util
import io
import sys

import pytest
from quart.datastructures import FileStorage

from tests.conftest import add_user, login

HAS_HEIF = importlib.util.find_spec("pillow_heif") is not None
OCR = "/api/data-entry/ocr"
# An ISO-BMFF box with a HEIC brand: what an iPhone photo starts with (enough to be recognised as HEIC).
HEIC_HEADER = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


@pytest.fixture
async def ocr_app(settings_factory):
    """OCR on, its jobs left for a worker (no engine loads here)."""
    from roa2web.app import create_app

    app = create_app(settings_factory(ocr_enabled=True, queue_in_process=False))
    async with app.test_app():
        yield app


def heic_photo() -> bytes:
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (320, 480), (250, 250, 245)).save(buffer, format="HEIF")
    return buffer.getvalue()


def upload(data: bytes, field: str = "photo") -> dict[str, FileStorage]:
    return {field: FileStorage(io.BytesIO(data), filename="IMG_0001.HEIC")}


async def test_without_pillow_heif_a_heic_photo_gets_a_clear_415(ocr_app, monkeypatch):
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # as on a server without the package
    client = ocr_app.test_client()
    await add_user(ocr_app, "ana", roles={"operator"}, company_ids={2})
    headers = await login(client, "ana")
    response = await client.post(OCR, form={"company_id": "2"}, files=upload(HEIC_HEADER), headers=headers)
    assert response.status_code == 415, await response.get_data()
    assert response.content_type == "application/problem+json"
    assert "HEIC" in (await response.get_json())["detail"]
    assert not (ocr_app.extensions["roa2web"].settings.data_dir / "receipts").exists()


@pytest.mark.skipif(not HAS_HEIF, reason="pillow-heif not installed")
async def test_with_pillow_heif_a_heic_photo_is_accepted_for_ocr_and_as_an_attachment(ocr_app):
    client = ocr_app.test_client()
    await add_user(ocr_app, "ana", roles={"operator"}, company_ids={2})
    headers = await login(client, "ana")
    data = heic_photo()
    response = await client.post(OCR, form={"company_id": "2"}, files=upload(data), headers=headers)
    assert response.status_code == 202, await response.get_data()
    receipt_id = (await response.get_json())["receipt_id"]
    receipt = await (await client.get(f"/api/data-entry/receipts/{receipt_id}", headers=headers)).get_json()
    assert receipt["attachments"][0]["content_type"] == "image/heic"

    attached = await client.post(f"/api/data-entry/receipts/{receipt_id}/attachments", files=upload(data, "file"),
                                 headers=headers)
    assert attached.status_code == 201, await attached.get_data()
    stored = await client.get(f"/api/data-entry/receipts/{receipt_id}/attachments/{(await attached.get_json())['id']}",
                              headers=headers)
    assert stored.content_type == "image/heic" and (await stored.get_data())[4:12] == b"ftypheic"
