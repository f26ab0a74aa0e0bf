"""Input attacks on files and bodies (issue 11): path tricks in file names, polyglot uploads (checked by
content, roa2web/data_entry/filetypes.py), decompression bombs. Each is refused with a Romanian 4xx problem
or stored harmlessly (a generated path under DATA_DIR, a sanitized name offered on download), nothing is
written outside DATA_DIR, and the app stays healthy.

The app decompresses images (Pillow, refused past a pixel count: the PNG bomb) and PDFs (pdfium); it never
unpacks archives, and neither Hypercorn nor Quart decodes a request's Content-Encoding: a gzip bomb sent as
a JSON body is only its own few kilobytes of not-JSON.
"""

from __future__ import annotations

import gzip
import io
import logging
import zipfile

import pytest
from quart.datastructures import FileStorage

from tests.security.attack_support import (
    assert_no_traceback,
    assert_problem,
    new_receipt,
    outside,
    power_user,
    written_files,
)
from tests.support.upload_files import image_bytes, png_bomb

PATH_TRICKS = [
    "../../x.png", "../../../../etc/cron.d/evil.png", "/etc/passwd", "..\\..\\x.png", "C:\\Windows\\win.ini",
    "a\x00b.png", "CON", "NUL.png", "COM1", 'bon".png', "bon.png;.exe", "....//....//x.png", "%2e%2e%2fx.png",
    "\u202egnp.exe", "x" * 5000 + ".png",
]


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return buffer.getvalue()


POLYGLOTS = {
    "pdf-header-html": b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n%%EOF",
    "jpeg-header-html": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html><script>alert(1)</script></html>",
    "png-header-zip": b"\x89PNG\r\n\x1a\n" + _zip_bytes(),
    "zip-as-pdf": _zip_bytes(),
    "gif-js": b"GIF89a/*\x00\x00*/=alert(1)//",
    "html": b"<!DOCTYPE html><html><body onload=alert(1)></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "png-bomb": png_bomb(40_000, 40_000),
}


def _upload(data: bytes, name: str) -> dict[str, FileStorage]:
    return {"file": FileStorage(io.BytesIO(data), filename=name, content_type="image/png")}


async def test_file_names_with_path_tricks_store_under_the_data_dir_and_download_harmlessly(app, client, settings,
                                                                                           caplog):
    headers = await power_user(app, client)
    receipt_id = await new_receipt(client, headers)
    url = f"/api/data-entry/receipts/{receipt_id}/attachments"
    caplog.set_level(logging.WARNING)
    with written_files() as opened:
        for name in PATH_TRICKS:
            response = await client.post(url, files=_upload(image_bytes("PNG"), name), headers=headers)
            if response.status_code != 201:
                await assert_problem(response, 400, 413, 415)
                continue
            attachment = await response.get_json()
            shown = attachment["file_name"]
            assert not set(shown) & {"/", "\\", '"', "\x00", "\r", "\n", ";"} and ".." not in shown, (name, shown)
            assert shown.isascii() and len(shown) <= 130, (name, shown)
            download = await client.get(f"{url}/{attachment['id']}", headers=headers)
            assert download.status_code == 200
            assert download.headers["Content-Disposition"] == f'attachment; filename="{shown}"'
            assert download.headers["Content-Type"] == "image/png"
            assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert outside(opened, settings.data_dir) == []
    stored = [path for path in (settings.data_dir / "receipts").rglob("*") if path.is_file()]
    assert stored and all(path.name.endswith(".png") and "x" * 50 not in path.name for path in stored)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("attachment_id", [
    "..%2F..%2Fapp.db", "..%2f..%2f..%2fetc%2fpasswd", "%00", "..", "....%2F%2F", "..%5C..%5Capp.db", "x" * 5000,
])
async def test_download_ids_with_path_tricks_are_a_404(app, client, caplog, attachment_id):
    headers = await power_user(app, client)
    receipt_id = await new_receipt(client, headers)
    caplog.set_level(logging.WARNING)
    response = await client.get(f"/api/data-entry/receipts/{receipt_id}/attachments/{attachment_id}",
                                headers=headers)
    await assert_problem(response, 404)
    assert_no_traceback(caplog)


@pytest.mark.parametrize("kind", sorted(POLYGLOTS))
async def test_polyglots_and_bombs_are_refused_by_content_whatever_their_name(app, client, settings, caplog, kind):
    headers = await power_user(app, client)
    receipt_id = await new_receipt(client, headers)
    caplog.set_level(logging.WARNING)
    with written_files() as opened:
        for name in ("bon.jpg", "scan.pdf", "poza.png"):
            response = await client.post(f"/api/data-entry/receipts/{receipt_id}/attachments",
                                         files=_upload(POLYGLOTS[kind], name), headers=headers)
            await assert_problem(response, 415, 422)  # not a type we take; an image too large once decoded
    assert outside(opened, settings.data_dir) == []
    assert not [path for path in (settings.data_dir / "receipts").rglob("*") if path.is_file()]
    assert (await client.get("/health")).status_code == 200
    assert_no_traceback(caplog)


async def test_a_real_jpeg_with_a_zip_appended_is_served_only_as_a_jpeg_attachment(app, client):
    headers = await power_user(app, client)
    receipt_id = await new_receipt(client, headers)
    url = f"/api/data-entry/receipts/{receipt_id}/attachments"
    response = await client.post(url, files=_upload(image_bytes("JPEG") + _zip_bytes(), "bon.html"),
                                 headers=headers)
    assert response.status_code == 201, await response.get_data(as_text=True)
    attachment = await response.get_json()
    assert attachment["file_name"].endswith(".jpg")
    download = await client.get(f"{url}/{attachment['id']}", headers=headers)
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")


async def test_a_gzip_bomb_sent_as_a_compressed_json_body_is_not_inflated(app, client, caplog):
    bomb = gzip.compress(b"[" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB of '[' in ~64 kB
    assert len(bomb) < 200 * 1024
    caplog.set_level(logging.WARNING)
    response = await client.post("/api/auth/login", data=bomb,
                                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    problem = await assert_problem(response, 400)
    assert problem["type"].endswith("/invalid-json")
    assert_no_traceback(caplog)
