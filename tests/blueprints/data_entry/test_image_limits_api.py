"""Images too large for their bytes are refused at upload with a 422 problem, before any receipt or job exists."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from quart.datastructures import FileStorage

from tests.conftest import add_user, login
from tests.support.hostile_images import png_header_bomb
from tests.support.upload_files import png_bomb

OCR = "/api/data-entry/ocr"
RECEIPTS = "/api/data-entry/receipts"


@pytest.fixture
async def ocr_app(settings_factory):
    """OCR on with a 1 MP limit, its jobs left for a worker (no engine loads here)."""
    from roa2web.app import create_app

    app = create_app(settings_factory(ocr_enabled=True, queue_in_process=False, data_entry_max_image_mp=1))
    async with app.test_app():
        yield app


def png16(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((height, width), 50_000, np.uint16)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(data: bytes, field: str = "photo") -> dict[str, FileStorage]:
    return {field: FileStorage(io.BytesIO(data), filename="bon.png")}


async def test_too_many_pixels_is_a_422_problem_in_romanian_and_nothing_is_created(ocr_app):
    client = ocr_app.test_client()
    await add_user(ocr_app, "ana", roles={"operator"}, company_ids={2})
    ana = await login(client, "ana")
    attacks = {
        "16-bit 1.2 MP": png16(1200, 1000),
        "16-bit 49 MP header": png_header_bomb(7000, 7000, bit_depth=16),
        "900 MP bomb": png_bomb(30_000, 30_000),
    }
    for name, data in attacks.items():
        response = await client.post(OCR, form={"company_id": "2"}, files=photo(data), headers=ana)
        assert response.status_code == 422, (name, await response.get_data())
        assert response.content_type == "application/problem+json"
        problem = await response.get_json()
        assert problem["type"].endswith("/image-too-large") and problem["title"] == "Imagine prea mare"
        assert problem["request_id"] and ("MP" in problem["detail"] or "periculoasă" in problem["detail"])
    detail = (await (await client.post(OCR, form={"company_id": "2"}, files=photo(attacks["16-bit 1.2 MP"]),
                                       headers=ana)).get_json())["detail"]
    assert "1200×1000 pixeli (1,2 MP)" in detail and "limita este 1,0 MP" in detail

    listed = await (await client.get(RECEIPTS, query_string={"company_id": "2"}, headers=ana)).get_json()
    assert listed["items"] == []  # no draft, hence no OCR job
    assert not (ocr_app.extensions["roa2web"].settings.data_dir / "receipts").exists()

    accepted = await client.post(OCR, form={"company_id": "2"}, files=photo(png16(1000, 900)), headers=ana)
    assert accepted.status_code == 202, await accepted.get_data()
    receipt_id = (await accepted.get_json())["receipt_id"]
    attached = await client.post(f"{RECEIPTS}/{receipt_id}/attachments", files=photo(png16(1200, 1000), "file"),
                                 headers=ana)
    assert attached.status_code == 422 and (await attached.get_json())["type"].endswith("/image-too-large")
