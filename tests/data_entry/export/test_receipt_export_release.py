"""Releasing an export and recording a rebuild are one transaction each, conditional on what the receipts
still are: a receipt that moved on is left alone, two releases at once release once, and a late run of a
released export claims nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from roa2web.data_entry.errors import ExportReleased
from roa2web.data_entry.export.service import write_xlsx
from roa2web.data_entry.model import Actor, State
from roa2web.data_entry.store import export_store, receipt_store
from roa2web.data_entry.store.tables import ReceiptRow
from tests.data_entry.export.test_receipt_export_job import PARAMS, approved, states

ADMIN = Actor("u-admin", "admin")
CARMEN = Actor("u-carmen", "carmen")


@pytest.fixture
def service(de_app):
    return de_app.extensions["roa2web"].data_entry


async def exported(service, job_id: str, *numbers: str) -> list[str]:
    """Receipts approved, then claimed by export `job_id` as its job does it (files written first)."""
    ids = [await approved(service, number) for number in numbers]
    batch = await service.exports.plan(job_id, PARAMS)
    service.exports.write(job_id, 2, batch.rows)
    assert await service.exports.claim(job_id, PARAMS, batch) is None
    return ids


async def actions(service, receipt_id: str) -> list[str]:
    return [entry.action for entry in await receipt_store.list_history(service.receipts.db, receipt_id)]


async def test_a_receipt_that_moved_on_is_not_clobbered_by_the_release(service):
    db, job_id = service.receipts.db, "a" * 32
    kept, moved = await exported(service, job_id, "1", "2")
    # `moved` left this export meanwhile (into another one, as a release and a new export would take it)
    await ReceiptRow.update(export_job_id="b" * 32, version=ReceiptRow.version + 1).where(
        ReceiptRow.id == moved).aio_execute(db)
    before = await receipt_store.get_receipt(db, moved)

    release = await export_store.release_export(db, job_id=job_id, company_id=2, actor=ADMIN)
    assert release is not None and release.receipts == 1
    assert await states(service, kept, moved) == [State.APPROVED, State.EXPORTED]
    assert await receipt_store.get_receipt(db, moved) == before  # not a column changed
    assert await actions(service, moved) == ["create", "submit", "approve", "export"]
    assert (await actions(service, kept))[-1] == "release"
    kept_now = await receipt_store.get_receipt(db, kept)
    assert (kept_now.export_job_id, kept_now.exported_at) == (None, None)


async def test_two_releases_at_once_release_once(service):
    db, job_id = service.receipts.db, "c" * 32
    receipts = await exported(service, job_id, "1", "2", "3")
    results = await asyncio.gather(*(export_store.release_export(db, job_id=job_id, company_id=2, actor=ADMIN)
                                     for _ in range(2)))
    assert sorted(result is None for result in results) == [False, True]
    winner = next(result for result in results if result is not None)
    assert winner.receipts == 3 and await export_store.release_of(db, job_id) is not None
    for receipt_id in receipts:
        assert (await actions(service, receipt_id)).count("release") == 1
    assert await states(service, *receipts) == [State.APPROVED] * 3


async def test_a_rebuild_and_a_release_at_once_leave_a_history_in_their_order(service):
    db, job_id = service.receipts.db, "d" * 32
    receipts = await exported(service, job_id, "1", "2")
    held, release = await asyncio.gather(
        export_store.record_rebuild(db, job_id=job_id, company_id=2, actor=CARMEN),
        export_store.release_export(db, job_id=job_id, company_id=2, actor=ADMIN))
    assert release is not None and release.receipts == 2
    for receipt_id in receipts:
        history = (await actions(service, receipt_id))[3:]
        # the rebuild came first (then the release), or saw the release and recorded nothing
        assert history == (["export", "rebuild", "release"] if held is not None else ["export", "release"])
    assert held is None or sorted(held) == sorted(receipts)
    assert await export_store.record_rebuild(db, job_id=job_id, company_id=2, actor=CARMEN) is None


async def test_a_released_export_is_not_run_again_and_claims_nothing(service):
    db, job_id = service.receipts.db, "e" * 32
    first = await approved(service, "1")
    batch = await service.exports.plan(job_id, PARAMS)  # a run that planned, then the export was released
    await export_store.release_export(db, job_id=job_id, company_id=2, actor=ADMIN)
    with pytest.raises(ExportReleased):
        await service.exports.claim(job_id, PARAMS, batch)
    assert await states(service, first) == [State.APPROVED]  # the claim rolled back
    assert await actions(service, first) == ["create", "submit", "approve"]
    with pytest.raises(ExportReleased, match="a fost anulat de admin"):
        await service.exports.plan(job_id, PARAMS)


def test_the_xlsx_of_one_export_is_the_same_bytes_whenever_it_is_written(tmp_path):
    rows = [("r1", "2025-12-15", "37", "ALFA", "RO1", "", "6022", "5121", Decimal("1.10"), "x")]
    made_at = dt.datetime(2025, 12, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_xlsx(rows, first, made_at)
    write_xlsx(rows, second, made_at.astimezone(dt.timezone(dt.timedelta(hours=2))))  # the same moment
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first.read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 12, 1, 8, 30, 14)}  # 2-second steps
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2025-12-01T08:30:15Z") == 2  # created and modified: the export's start, not the clock


async def test_a_claim_and_a_release_at_once_never_leave_receipts_with_a_released_export(service):
    """On PostgreSQL the two transactions overlap: the release must not miss receipts the claim is taking."""
    db = service.receipts.db
    for round_ in range(8):
        job_id = f"{round_:x}" * 32
        receipts = [await approved(service, f"{round_}-{n}") for n in range(2)]
        claimed, release = await asyncio.gather(
            export_store.claim_for_export(db, company_id=2, receipt_ids=receipts, job_id=job_id, actor=CARMEN),
            export_store.release_export(db, job_id=job_id, company_id=2, actor=ADMIN), return_exceptions=True)
        assert release is not None and not isinstance(release, BaseException)
        assert isinstance(claimed, ExportReleased) or sorted(claimed) == sorted(receipts)
        # released: whatever the order, no receipt stays held by the voided export
        assert await states(service, *receipts) == [State.APPROVED] * 2, (round_, claimed, release)
