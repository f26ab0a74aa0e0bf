"""Queue fixtures: apps with real consumer threads, fast queue knobs, and the test-only job kinds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from quart import Quart
from queue_helpers import PLUGINS, queue_ready

from roa2web.app import create_app
from roa2web.settings import Settings

FAST_QUEUE = {
    "queue_handler_modules": ["roa2web_test_jobs"],
    "queue_retry_delay_s": 0.1,
    "queue_max_delay_s": 0.1,
    "queue_heartbeat_s": 0.3,
    "queue_stale_after_s": 1.5,
    "queue_shutdown_timeout_s": 10.0,
    "ocr_enabled": False,  # the OCR model loads in the background and competes for the CPU
}


@pytest.fixture(autouse=True)
def test_job_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugins folder on the import path, so QUEUE_HANDLER_MODULES can name the test kinds."""
    monkeypatch.syspath_prepend(str(PLUGINS))


@pytest.fixture
def queue_settings(settings_factory: Callable[..., Settings]) -> Callable[..., Settings]:
    """Settings with fast queue knobs (and anything else overridden)."""

    def make(**overrides: Any) -> Settings:
        return settings_factory(**{**FAST_QUEUE, **overrides})

    return make


@pytest.fixture
async def queue_app(queue_settings: Callable[..., Settings]) -> AsyncIterator[Quart]:
    """A started app with a running in-process consumer."""
    app = create_app(queue_settings())
    async with app.test_app():
        await queue_ready(app)
        yield app
