"""The ROA export job marks receipts EXPORTED only once their files are written, and stays idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest

from roa2web.auth.principal import Principal
from roa2web.data_entry.model import PaymentMethod, State, VatLine
from roa2web.data_entry.store import receipt_store
from roa2web.data_entry.store.tables import ReceiptRow
from tests.support.data_entry import wait_for

ANA = Principal("u-ana", "ana", "Ana", frozenset({"operator"}), frozenset({2}))
BOGDAN = Principal("u-bogdan", "bogdan", "Bogdan", frozenset({"approver"}), frozenset({2}))
DECEMBER = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
PARAMS = {"company_id": 2, "date_from": "2025-12-01", "date_to": "2025-12-31", "user_id": BOGDAN.user_id,
          "username": BOGDAN.username}
COMPLETE = {
    "supplier_name": "ALFA PETROL SRL", "supplier_cif": "RO12345674", "receipt_date": dt.date(2025, 12, 15),
    "payment_method": PaymentMethod.CARD, "total_bani": 12100, "vat_lines": (VatLine(21, 10000, 2100),),
    "expense_account": "6022", "buyer_cif_present": True,
}


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url):
    """A quick first retry, so a transient failure is retried within the test; not the default attempts."""
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url,
                            ocr_enabled=False, queue_retry_delay_s=1,
                            queue_max_attempts=5)


@pytest.fixture
def service(de_app):
    return de_app.extensions["roa2web"].data_entry


async def approved(service, number: str) -> str:
    receipt = await service.receipts.create(ANA, 2, {**COMPLETE, "document_number": number})
    await service.receipts.submit(ANA, receipt.id)
    return (await service.receipts.approve(BOGDAN, receipt.id)).id


async def states(service, *receipt_ids: str) -> list[State]:
    return [(await receipt_store.get_receipt(service.receipts.db, rid)).state for rid in receipt_ids]


async def export_actions(service, receipt_id: str) -> int:
    return [h.action for h in await receipt_store.list_history(service.receipts.db, receipt_id)].count("export")


def csv_receipts(service, job_id: str) -> list[str]:
    """The receipts in an export's CSV (each has one row per journal line), in file order."""
    path = service.exports.file(job_id, 2, "csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(dict.fromkeys(row[0] for row in list(csv.reader(handle))[1:]))


async def finished(jobs, job_id: str):
    async def done():
        job = await jobs.get(job_id)
        return job if job.finished else None

    return await wait_for(done, timeout_s=60)


async def test_a_write_failure_is_retried_and_marks_nothing_until_the_files_exist(de_app, service):
    jobs = de_app.extensions["roa2web"].jobs
    first, second = await approved(service, "1"), await approved(service, "2")
    exports_dir = de_app.extensions["roa2web"].settings.data_path("exports")
    shutil.rmtree(exports_dir, ignore_errors=True)
    exports_dir.write_text("not a directory")  # every write under exports/ fails with an OSError

    job = await service.exports.start(BOGDAN, 2, *DECEMBER)

    async def failed_once():
        current = await jobs.get(job.id)
        return current if current.attempts >= 1 and current.error else None

    current = await failed_once() or await wait_for(failed_once, timeout_s=60)
    assert str(current.state) in ("queued", "running"), current  # transient: waits for another attempt
    assert "nu au putut fi scrise" in current.error
    assert await states(service, first, second) == [State.APPROVED, State.APPROVED]
    exports_dir.unlink()  # the disk is fine again

    done = await finished(jobs, job.id)
    assert str(done.state) == "done", done
    assert await states(service, first, second) == [State.EXPORTED, State.EXPORTED]
    assert sorted(csv_receipts(service, job.id)) == sorted([first, second])
    assert done.result_ref == f"{job.id}/bonuri-2-{job.id[:8]}.xlsx"


async def test_receipts_without_entries_fail_the_job_and_nothing_is_marked(de_app, service):
    jobs = de_app.extensions["roa2web"].jobs
    good = await approved(service, "1")
    broken = await service.receipts.create(ANA, 2, {**COMPLETE, "document_number": "2",
                                                    "payment_method": PaymentMethod.SUPPLIER})
    await service.receipts.submit(ANA, broken.id)
    await service.receipts.approve(BOGDAN, broken.id)
    # an account no export can book (written past the validation, as an older release might have)
    await ReceiptRow.update(settlement_account="5125").where(ReceiptRow.id == broken.id).aio_execute(
        service.receipts.db)

    job = await service.exports.start(BOGDAN, 2, *DECEMBER)
    done = await finished(jobs, job.id)
    assert str(done.state) == "failed"
    assert broken.id in done.error
    assert await states(service, good, broken.id) == [State.APPROVED, State.APPROVED]
    assert service.exports.file(job.id, 2, "csv") is None


async def test_a_rerun_after_marking_exports_the_same_receipts_once(service):
    exports, job_id = service.exports, "c" * 32
    first = await approved(service, "1")
    batch = await exports.plan(job_id, PARAMS)
    assert (batch.receipt_ids, batch.claimed) == ((first,), False)
    exports.write(job_id, 2, batch.rows)
    assert await exports.claim(job_id, PARAMS, batch) is None
    # the process died before the job was recorded done; meanwhile another receipt was approved
    later = await approved(service, "2")
    again = await exports.plan(job_id, PARAMS)
    assert (again.receipt_ids, again.claimed) == ((first,), True)
    assert again.rows == batch.rows
    exports.write(job_id, 2, again.rows)
    assert await exports.claim(job_id, PARAMS, again) is None  # claims nothing more
    assert csv_receipts(service, job_id) == [first]
    assert await states(service, first, later) == [State.EXPORTED, State.APPROVED]
    assert await export_actions(service, first) == 1


async def test_a_rerun_after_writing_but_before_marking_writes_and_marks_once(service):
    exports, job_id = service.exports, "d" * 32
    first = await approved(service, "1")
    exports.write(job_id, 2, (await exports.plan(job_id, PARAMS)).rows)  # then the process died
    assert await states(service, first) == [State.APPROVED]
    later = await approved(service, "2")
    batch = await exports.plan(job_id, PARAMS)
    assert set(batch.receipt_ids) == {first, later} and not batch.claimed
    exports.write(job_id, 2, batch.rows)
    assert await exports.claim(job_id, PARAMS, batch) is None
    assert sorted(csv_receipts(service, job_id)) == sorted([first, later])
    assert await states(service, first, later) == [State.EXPORTED, State.EXPORTED]
    assert [await export_actions(service, rid) for rid in (first, later)] == [1, 1]


async def test_an_export_that_lost_its_receipts_to_another_rewrites_its_files(service):
    exports = service.exports
    first = await approved(service, "1")
    slow, fast = "e" * 32, "f" * 32
    slow_batch = await exports.plan(slow, PARAMS)
    exports.write(slow, 2, slow_batch.rows)
    fast_batch = await exports.plan(fast, PARAMS)
    exports.write(fast, 2, fast_batch.rows)
    assert await exports.claim(fast, PARAMS, fast_batch) is None
    held = await exports.claim(slow, PARAMS, slow_batch)
    assert held is not None and held.receipt_ids == () and held.rows == []
    exports.write(slow, 2, held.rows)
    assert csv_receipts(service, slow) == []
    assert csv_receipts(service, fast) == [first]
    assert await export_actions(service, first) == 1


async def test_an_export_job_has_the_attempts_queue_max_attempts_gives(de_app, service):
    job = await service.exports.start(BOGDAN, 2, *DECEMBER)
    assert job.max_attempts == de_app.extensions["roa2web"].settings.queue_max_attempts == 5
    assert (await de_app.extensions["roa2web"].jobs.get(job.id)).max_attempts == 5
    await finished(de_app.extensions["roa2web"].jobs, job.id)
