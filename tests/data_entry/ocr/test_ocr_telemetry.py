"""OCR writes nothing outside DATA_DIR: onnxruntime's telemetry (device id, event database) stays off."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from roa2web.data_entry.ocr.engine import disable_runtime_telemetry
from tests.support.receipt_images import receipt_sample

# A fresh process: onnxruntime decides about telemetry once, when it is first imported.
READ_ONE_RECEIPT = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from roa2web.data_entry.ocr.service import OcrService

    async def main():
        service = OcrService("rapidocr", threads=1)
        try:
            reading = await service.read(Path(sys.argv[1]).read_bytes())
        finally:
            await asyncio.to_thread(service.close)
        print(len(reading.lines))

    asyncio.run(main())
""")


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.slow
def test_reading_a_receipt_writes_nothing_under_home_or_the_cache_dirs(tmp_path):
    data_dir, home, cache, temp = (tmp_path / name for name in ("data", "home", "xdg-cache", "tmp"))
    for folder in (data_dir, home, cache, temp):
        folder.mkdir()
    photo = data_dir / "receipt.jpg"
    photo.write_bytes(receipt_sample(1, "degraded").data)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORT_", "XDG_"))}
    env |= {"HOME": str(home), "USERPROFILE": str(home), "XDG_CACHE_HOME": str(cache), "TMPDIR": str(temp),
            "TEMP": str(temp), "TMP": str(temp), "DATA_DIR": str(data_dir)}
    done = subprocess.run([sys.executable, "-c", READ_ONE_RECEIPT, str(photo)], env=env, cwd=data_dir,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 5  # the receipt was really read
    assert files_under(home) == []
    assert files_under(cache) == []
    assert files_under(temp) == []
    assert files_under(data_dir) == ["receipt.jpg"]


def test_only_an_import_made_while_telemetry_was_on_is_warned_about(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "onnxruntime", types.ModuleType("onnxruntime"))
    monkeypatch.delenv("ORT_DISABLE_TELEMETRY", raising=False)
    with caplog.at_level(logging.WARNING, logger="roa2web.data_entry.ocr"):
        disable_runtime_telemetry()
        assert "imported before its telemetry was switched off" in caplog.text
        caplog.clear()
        disable_runtime_telemetry()  # a second engine in the same process: the import came after the first call
        assert caplog.text == ""
    assert os.environ["ORT_DISABLE_TELEMETRY"] == "1"
