"""Filling drafts from readings: supplier matching, account suggestion, what is left out, idempotency.

A run keeps what OCR read; its job (the jobs table) alone holds state, attempts, error and times."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from roa2web.auth.principal import Principal
from roa2web.data_entry.errors import NotFound
from roa2web.data_entry.model import PaymentMethod, VatLine
from roa2web.data_entry.ocr.fill import ReadingFiller, retake_hint
from roa2web.data_entry.ocr.reading import Check, FieldReading, ReceiptReading
from roa2web.data_entry.store import ocr_store, receipt_store
from roa2web.data_entry.workflow.entries import paid_from
from roa2web.jobs.store import Job, JobState
from tests.support.data_entry import wait_for
from tests.support.receipt_images import receipt_sample
from tests.support.romanian import is_romanian
from tests.support.upload_files import image_bytes

INTERNAL_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")  # total_bani, receipt_date, supplier_cif...

ANA = Principal("u-ana", "ana", "Ana", frozenset({"operator"}), frozenset({1, 2, 3}))
BOGDAN = Principal("u-bogdan", "bogdan", "Bogdan", frozenset({"approver"}), frozenset({1, 2, 3}))
DECEMBER = dt.date(2025, 12, 20)


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url):
    """OCR on (the last test runs real OCR jobs through the queue)."""
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url, ocr_enabled=True)


def reading(raw_text: str = "", **values) -> ReceiptReading:
    fields = {name: FieldReading(value, 0.9, Check.CONFIRMED) for name, value in values.items()}
    return ReceiptReading(fields=fields, raw_text=raw_text, lines=raw_text.splitlines(), content_type="image/png",
                          straightened=False, repaired=True)


def telecom(**overrides) -> ReceiptReading:
    values = {"supplier_name": "DOBROGEA TELECOM S.A.", "supplier_cif": "RO51392740", "receipt_number": "88",
              "date": "2026-01-10", "total": 12100, "payment_method": "card", "buyer_cif": "RO39172621",
              "vat_lines": [{"rate": 21, "base_bani": None, "vat_bani": 2100}]}
    values.update(overrides)
    return reading(**values)


@pytest.fixture
def service(de_app):
    return de_app.extensions["roa2web"].data_entry


async def started_run(service, company_id: int = 2, **fields) -> tuple[str, str]:
    """A DRAFT with a photo and an OCR run on it, its file fetched (as the job's first step leaves it)."""
    receipt = await service.receipts.create(ANA, company_id, fields, source="ocr")
    attachment = await service.files.attach(ANA, receipt.id, image_bytes("PNG"), "bon.png")
    run_id = await ocr_store.insert_run(service.receipts.db, receipt_id=receipt.id, attachment_id=attachment.id,
                                        requested_by=ANA.user_id)
    assert await service.ocr.begin(run_id) == image_bytes("PNG")
    return receipt.id, run_id


async def test_supplier_matched_to_the_ledger_and_account_from_its_history(service):
    receipt_id, run_id = await started_run(service)
    applied = await service.ocr.complete(run_id, telecom())
    receipt = await service.receipts.get(ANA, receipt_id)
    fields = receipt.fields
    assert fields.supplier_partner_id == 11  # DOBROGEA TELECOM SA, by CIF
    assert fields.expense_account == "626"  # what the ledger books for this supplier
    assert fields.vat_lines == (VatLine(21, 10000, 2100),)  # one group: base = total - VAT
    assert (fields.total_bani, fields.payment_method, fields.buyer_cif_present) == (12100, PaymentMethod.CARD, True)
    assert paid_from(fields) == "5121"  # a card receipt is paid from the bank, not the cash desk
    assert set(applied) >= {"supplier_partner_id", "expense_account", "vat_lines", "receipt_date"}
    run = await ocr_store.get_run(service.receipts.db, run_id)
    assert run.read and run.warnings == () and run.raw_text == ""
    assert run.fields["total"] == {"value": 12100, "confidence": 0.9, "check": "confirmed"}


async def test_the_suppliers_approved_receipts_decide_the_account(service):
    earlier = await service.receipts.create(ANA, 2, {
        "supplier_cif": "RO51392740", "supplier_name": "DOBROGEA TELECOM SA", "receipt_date": DECEMBER,
        "payment_method": PaymentMethod.CASH, "total_bani": 1000, "vat_lines": (VatLine(0, 1000, 0),),
        "expense_account": "6028"})
    await service.receipts.submit(ANA, earlier.id)
    await service.receipts.approve(BOGDAN, earlier.id)
    _, run_id = await started_run(service)
    await service.ocr.complete(run_id, telecom())
    assert (await receipt_store.get_receipt(service.receipts.db, (await ocr_store.get_run(
        service.receipts.db, run_id)).receipt_id)).fields.expense_account == "6028"


async def test_values_that_would_be_invalid_are_left_out_with_warnings(service):
    receipt_id, run_id = await started_run(service)
    await service.ocr.complete(run_id, telecom(date="2025-11-10", supplier_cif="RO51392741", buyer_cif="12345674"))
    fields = (await service.receipts.get(ANA, receipt_id)).fields
    assert fields.receipt_date is None  # November 2025 is closed
    # the CIF read fails its checksum, so the name finds the partner, whose CIF is used
    assert (fields.supplier_partner_id, fields.supplier_cif) == (11, "RO51392740")
    run = await ocr_store.get_run(service.receipts.db, run_id)
    assert any("data bonului" in w and "închisă" in w for w in run.warnings)
    assert any("cifra de control" in w for w in run.warnings)
    assert any("nu este al firmei" in w for w in run.warnings)
    assert await service.receipts.field_errors(2, fields) == []


async def test_an_unknown_supplier_gets_an_account_by_keywords(service):
    receipt_id, run_id = await started_run(service)
    await service.ocr.complete(run_id, telecom(supplier_name="NECUNOSCUT SRL", supplier_cif="RO12345674",
                                               raw_text="NECUNOSCUT SRL\nMOTORINA 10 L x 7,26"))
    fields = (await service.receipts.get(ANA, receipt_id)).fields
    assert (fields.supplier_partner_id, fields.supplier_cif, fields.expense_account) == (None, "RO12345674", "6022")


async def test_user_edits_are_kept_and_a_finished_run_is_not_applied_twice(service):
    receipt_id, run_id = await started_run(service, supplier_name="TELECOM (manual)", total_bani=12100)
    await service.ocr.complete(run_id, telecom(total=99999))
    receipt = await service.receipts.get(ANA, receipt_id)
    assert (receipt.fields.supplier_name, receipt.fields.total_bani) == ("TELECOM (manual)", 12100)
    version = receipt.version
    # the job runs again (a crash after it finished): nothing is read or written a second time
    assert await service.ocr.begin(run_id) is None
    assert await service.ocr.complete(run_id, telecom(supplier_name="OTHER SRL")) == []
    again = await service.receipts.get(ANA, receipt_id)
    assert again.version == version and again.fields.supplier_name == "TELECOM (manual)"
    actions = [entry.action for entry in await service.receipts.history(ANA, receipt_id)]
    assert actions.count("ocr") == 1


async def test_a_receipt_submitted_meanwhile_is_not_touched(service):
    receipt_id, run_id = await started_run(service, supplier_name="X SRL", receipt_date=DECEMBER,
                                           payment_method=PaymentMethod.CASH, total_bani=500,
                                           vat_lines=(VatLine(0, 500, 0),), expense_account="6028")
    await service.receipts.submit(ANA, receipt_id)
    assert await service.ocr.complete(run_id, telecom()) == []
    receipt = await service.receipts.get(ANA, receipt_id)
    assert receipt.fields.supplier_name == "X SRL"
    run = await ocr_store.get_run(service.receipts.db, run_id)
    assert run.read and run.applied == () and "nu mai este ciornă" in run.warnings[0]


async def test_a_job_run_again_after_a_crash_finishes_the_run_once(de_app, service):
    jobs = de_app.extensions["roa2web"].jobs
    receipt = await service.receipts.create(ANA, 2, {}, source="ocr")
    attachment = await service.files.attach(ANA, receipt.id, receipt_sample(28, "clean").data, "bon.png")
    db = service.receipts.db
    run_id = await ocr_store.insert_run(db, receipt_id=receipt.id, attachment_id=attachment.id,
                                        requested_by=ANA.user_id)
    assert await service.ocr.begin(run_id) is not None  # a first attempt fetched the file, then the process died

    async def run_job() -> Job:
        job = await jobs.submit("ocr", {"run_id": run_id, "receipt_id": receipt.id}, owner_id=ANA.user_id,
                                company_id=2)

        async def done():
            current = await jobs.get(job.id)
            return current if current.finished else None

        finished = await wait_for(done, timeout_s=60)
        assert finished.state is JobState.DONE and finished.error is None
        return finished

    await run_job()
    filled = await service.receipts.get(ANA, receipt.id)
    assert filled.fields.supplier_name == "ALFA PETROL SRL"
    run = await ocr_store.get_run(db, run_id)
    assert run.read and "supplier_name" in run.applied
    second = await run_job()  # the job enqueued once more: nothing changes
    assert (second.state, second.progress) == (JobState.DONE, 100)
    assert (await service.receipts.get(ANA, receipt.id)).version == filled.version
    assert await ocr_store.get_run(db, run_id) == run


async def test_the_status_of_an_ocr_job_is_its_jobs_state(de_app, service):
    jobs = de_app.extensions["roa2web"].jobs
    receipt = await service.receipts.create(ANA, 2, {}, source="ocr")
    attachment = await service.files.attach(ANA, receipt.id, image_bytes("PNG"), "bon.png")
    run_id = await ocr_store.insert_run(service.receipts.db, receipt_id=receipt.id, attachment_id=attachment.id,
                                        requested_by=ANA.user_id)
    await service.files.detach(ANA, receipt.id, attachment.id)  # the job will find no file to read
    job = await jobs.submit("ocr", {"run_id": run_id, "receipt_id": receipt.id}, owner_id=ANA.user_id, company_id=2)
    await ocr_store.set_job(service.receipts.db, run_id, job.id)

    async def failed():
        status = await service.ocr.status(ANA, job.id)
        return status if status.job.finished else None

    status = await wait_for(failed, timeout_s=60)
    assert status.job.state is JobState.FAILED and "eliminat" in status.job.error and status.job.attempts == 1
    assert status.run.id == run_id and not status.run.read and status.receipt.id == receipt.id
    latest = await service.ocr.latest(receipt.id)
    assert (latest.run.id, latest.job.state) == (run_id, JobState.FAILED)
    with pytest.raises(NotFound):
        await service.ocr.status(ANA, "no-such-job")


async def test_the_warnings_of_an_ocr_result_are_romanian_and_name_no_internal_field(service):
    receipt_id, run_id = await started_run(service)
    await service.ocr.complete(run_id, telecom(date="2025-11-10", supplier_cif="RO51392741", buyer_cif="12345674",
                                               total=-5, vat_lines=[{"rate": 21, "base_bani": None, "vat_bani": 1},
                                                                    {"rate": 11, "base_bani": None, "vat_bani": 1}]))
    run = await ocr_store.get_run(service.receipts.db, run_id)
    assert len(run.warnings) >= 3
    for warning in run.warnings:
        assert is_romanian(warning) and not INTERNAL_NAME.search(warning), warning
    history = await service.receipts.history(ANA, receipt_id)
    filled = [entry.comment for entry in history if entry.action == "ocr"]
    assert filled and all(is_romanian(c) and not INTERNAL_NAME.search(c) for c in filled), filled


async def test_fields_read_below_the_minimum_confidence_are_left_for_the_user_and_stay_marked(service):
    service.ocr.filler = ReadingFiller(service.receipts, min_confidence=0.6)
    unsure = telecom()
    unsure.fields["total"] = FieldReading(12100, 0.41, Check.CONTRADICTED)
    unsure.fields["date"] = FieldReading("2026-01-10", 0.55, Check.UNCHECKED)
    receipt_id, run_id = await started_run(service)
    await service.ocr.complete(run_id, unsure)
    fields = (await service.receipts.get(ANA, receipt_id)).fields
    assert (fields.total_bani, fields.receipt_date) == (None, None)
    assert fields.supplier_name == "DOBROGEA TELECOM S.A." and fields.payment_method is PaymentMethod.CARD
    run = await ocr_store.get_run(service.receipts.db, run_id)
    [warning] = [w for w in run.warnings if "încredere scăzută" in w]
    assert "totalul" in warning and "data bonului" in warning and is_romanian(warning)
    assert not INTERNAL_NAME.search(warning)
    # the reading keeps its confidence, under the form's LOW_CONFIDENCE (0.8): the form marks both fields
    assert run.fields["total"]["confidence"] < 0.8 and run.fields["date"]["confidence"] < 0.8


async def test_a_receipt_paid_by_voucher_leaves_the_payment_method_to_the_user(service):
    receipt_id, run_id = await started_run(service)
    await service.ocr.complete(run_id, telecom(payment_method="voucher"))
    fields = (await service.receipts.get(ANA, receipt_id)).fields
    assert fields.payment_method is None and fields.total_bani == 12100
    run = await ocr_store.get_run(service.receipts.db, run_id)
    assert any("tichete" in w and "modul de plată" in w for w in run.warnings)
    assert all(is_romanian(w) and not INTERNAL_NAME.search(w) for w in run.warnings)


async def test_a_photo_that_left_most_key_fields_unread_gets_the_advice_to_take_it_again(service):
    blurred = telecom(supplier_cif=None, vat_lines=None)
    blurred.fields["total"] = FieldReading(12100, 0.2, Check.UNCHECKED)  # kept, but not read surely
    _, run_id = await started_run(service)
    await service.ocr.complete(run_id, blurred)
    run = await ocr_store.get_run(service.receipts.db, run_id)
    [advice] = [w for w in run.warnings if "din nou" in w]
    assert "CIF-ul furnizorului, totalul și liniile de TVA." in advice
    assert "data bonului" not in advice  # read surely
    assert is_romanian(advice) and not INTERNAL_NAME.search(advice)

    _, clear_run_id = await started_run(service)
    await service.ocr.complete(clear_run_id, telecom(vat_lines=None))  # three of the four read surely
    assert not [w for w in (await ocr_store.get_run(service.receipts.db, clear_run_id)).warnings if "din nou" in w]


def test_a_pdf_read_badly_gets_no_advice_to_photograph_it_again():
    document = telecom(supplier_cif=None, vat_lines=None, date=None)
    assert retake_hint(document) is not None  # telecom() readings come from an image
    assert retake_hint(replace(document, content_type="application/pdf")) is None
