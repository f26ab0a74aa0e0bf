"""Upload checks by content: accepted types, bombs, damaged files, EXIF orientation, safe names and paths."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from roa2web.data_entry.errors import UploadRejected, UploadTooLarge
from roa2web.data_entry.store.file_store import FileStore
from roa2web.data_entry.workflow.uploads import check_upload, display_name
from tests.support.upload_files import image_bytes, pdf_bytes, png_bomb

LIMIT = 5 * 1024 * 1024


@pytest.mark.parametrize(("fmt", "content_type", "extension"), [
    ("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp"),
    ("TIFF", "image/tiff", "tiff"),
])
def test_images_are_recognized_by_content(fmt, content_type, extension):
    data = image_bytes(fmt)
    checked = check_upload(data, max_bytes=LIMIT)
    assert (checked.content_type, checked.extension) == (content_type, extension)
    assert checked.data == data  # no orientation to apply: stored byte for byte


def test_pdf_is_accepted_and_a_fake_pdf_is_not():
    assert check_upload(pdf_bytes(), max_bytes=LIMIT).content_type == "application/pdf"
    with pytest.raises(UploadRejected, match="PDF"):
        check_upload(b"%PDF-1.7\n garbage", max_bytes=LIMIT)


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script></html>", b"GIF89a....", b"\x00" * 100,
    b"PK\x03\x04 a zip renamed to .jpg",
])
def test_other_types_are_refused_whatever_their_name(data):
    with pytest.raises(UploadRejected):
        check_upload(data, max_bytes=LIMIT)


def test_empty_damaged_and_huge_files_are_refused():
    with pytest.raises(UploadRejected, match="gol"):
        check_upload(b"", max_bytes=LIMIT)
    with pytest.raises(UploadRejected, match="deteriorat"):
        check_upload(image_bytes("JPEG")[:200], max_bytes=LIMIT)
    with pytest.raises(UploadTooLarge):
        check_upload(b"\xff\xd8\xff" + b"\x00" * LIMIT, max_bytes=LIMIT)


def test_decompression_bombs_are_refused_before_decoding():
    bomb = png_bomb(30_000, 30_000)  # 900 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match=r"pixeli|periculoasă"):
        check_upload(bomb, max_bytes=LIMIT)
    with pytest.raises(UploadRejected, match="pixeli"):
        check_upload(png_bomb(5000, 5000), max_bytes=LIMIT, max_pixels=1_000_000)


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = image_bytes("JPEG", size=(40, 20), exif=exif.tobytes())
    checked = check_upload(data, max_bytes=LIMIT)
    with Image.open(io.BytesIO(checked.data)) as upright:
        assert upright.size == (20, 40)
        assert upright.getexif().get(0x0112, 1) == 1
    assert checked.sha256 != check_upload(image_bytes("JPEG"), max_bytes=LIMIT).sha256


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd.jpg"),
    ("..\\..\\Windows\\win.ini", "win.jpg"),
    ("C:\\Users\\x\\bon fiscal.JPG", "bon fiscal.jpg"),
    ('a"b;c\r\n.png', "a_b_c__.jpg"),
    ("bon-țară.png", "bon-tara.jpg"),
    ("", "receipt.jpg"),
    (None, "receipt.jpg"),
    ("....", "receipt.jpg"),
])
def test_display_names_never_carry_paths(name, expected):
    assert display_name(name, "jpg") == expected


def test_storage_paths_stay_inside_the_receipts_folder(tmp_path):
    store = FileStore(tmp_path)
    relative = store.new_path(7, 2025, "png")
    assert relative.startswith("receipts/7/2025/") and relative.endswith(".png")
    store.write(relative, b"data")
    assert store.read(relative) == b"data"
    assert (tmp_path / relative).is_file()
    for bad in ("../outside.txt", "receipts/../../outside.txt", "/etc/passwd", "app.db"):
        with pytest.raises(ValueError):
            store.resolve(bad)
    with pytest.raises(ValueError):
        store.new_path(7, 2025, "exe")
    store.remove(relative)
    assert not (tmp_path / relative).exists()
