"""The OCR job caught by a shutdown: the closed OCR service gives its attempt back; it waits, queued."""

from __future__ import annotations

import asyncio

import pytest

from roa2web.auth.principal import Principal
from roa2web.data_entry.store import ocr_store
from roa2web.jobs.handlers import handler_for
from tests.support.data_entry import wait_for
from tests.support.upload_files import image_bytes

ANA = Principal("u-ana", "ana", "Ana", frozenset({"operator"}), frozenset({1, 2, 3}))


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url):
    """OCR on; a retry far in the future, so the test sees the job waiting for it."""
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url,
                            ocr_enabled=True, queue_retry_delay_s=600)


def test_the_data_entry_handlers_are_doors_in_the_tasks_package():
    import roa2web.tasks.data_entry  # noqa: F401 - registers the handlers

    for kind in ("ocr", "receipts_export"):
        spec = handler_for(kind)
        assert spec is not None and spec.func.__module__ == "roa2web.tasks.data_entry"


async def test_an_ocr_job_caught_by_a_closed_ocr_service_is_retried_not_failed(de_app):
    runtime = de_app.extensions["roa2web"]
    data_entry, jobs = runtime.data_entry, runtime.jobs
    await asyncio.to_thread(runtime.ocr.close)  # what a shutdown does
    receipt = await data_entry.receipts.create(ANA, 2, {}, source="ocr")
    attachment = await data_entry.files.attach(ANA, receipt.id, image_bytes("PNG"), "bon.png")
    db = data_entry.receipts.db
    run_id = await ocr_store.insert_run(db, receipt_id=receipt.id, attachment_id=attachment.id,
                                        requested_by=ANA.user_id)
    job = await jobs.submit("ocr", {"run_id": run_id, "receipt_id": receipt.id}, owner_id=ANA.user_id, company_id=2)

    async def given_back():
        current = await jobs.get(job.id)
        return current if str(current.state) == "queued" and current.error else None

    current = await wait_for(given_back, timeout_s=60)
    assert current.attempts == 0, current  # the attempt does not count: even a last one cannot fail it
    assert "s-a oprit" in current.error and current.message.startswith("Întrerupt")
    assert not (await ocr_store.get_run(db, run_id)).read  # the next attempt reads it
