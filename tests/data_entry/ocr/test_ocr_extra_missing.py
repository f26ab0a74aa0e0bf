"""Without the `ocr` extra the OCR service says so and refuses work, instead of failing the app.

The whole base install (no extras: `pip install .`, init, serve, /health, an OCR upload's 503) is
checked by scripts/check_no_extras.sh in a fresh venv; here a module that does not exist stands for
the missing extra.
"""

from __future__ import annotations

import pytest

from roa2web.data_entry.ocr.engines import OCR_EXTRA_MODULES, missing_modules
from roa2web.data_entry.ocr.errors import ReaderUnavailable
from roa2web.data_entry.ocr.service import OcrService
from roa2web.data_entry.setup import ocr_part

ABSENT = "roa2web_no_such_ocr_module"


def test_missing_modules_are_found_without_importing_them() -> None:
    assert missing_modules(("json", ABSENT, "sqlite3")) == [ABSENT]
    assert missing_modules() == []  # this venv has the extra
    assert {"numpy", "cv2", "onnxruntime", "rapidocr"} <= set(OCR_EXTRA_MODULES)


async def test_a_service_without_its_modules_is_unavailable_and_refuses_reads() -> None:
    service = OcrService(required_modules=("json", ABSENT))
    try:
        service.start()
        assert not await service.wait_ready()
        status = service.status()
        assert status["state"] == "unavailable"
        assert "`ocr` extra" in status["error"] and ABSENT in status["error"] and "roa2web[ocr]" in status["error"]
        with pytest.raises(ReaderUnavailable, match="nu este instalată"):
            await service.read(b"\x89PNG\r\n\x1a\n")
    finally:
        service.close()
    assert service.status()["state"] == "closed"


async def test_health_shows_the_missing_extra_as_an_optional_part_down() -> None:
    service = OcrService(required_modules=(ABSENT,))
    part = ocr_part(service)
    try:
        health = await part.health()
    finally:
        service.close()
    assert not part.required  # so /health is "degraded", not "down"
    assert health["status"] == "down" and health["state"] == "unavailable" and "`ocr` extra" in health["error"]
