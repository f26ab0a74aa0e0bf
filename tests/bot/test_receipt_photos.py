"""Receipt photos in Telegram, end to end: the real app and PTB client against the fake Bot API, the real OCR job.

A linked operator sends a generated receipt (photo, PNG or PDF document); the bot answers at once,
reads it with the same OCR job as `POST /api/data-entry/ocr` while other chats go on, shows the
fields with Confirmă / Editează / Trimite / Renunță, edits a field from a typed value and submits
the draft, which the HTTP API then shows PENDING.
"""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from PIL import Image
from quart import Quart

from roa2web.app import create_app
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from tests.conftest import add_user, login
from tests.support.fake_bot_api import ApiCall, FakeBotApi, bot_settings
from tests.support.rates import load_recorded_rates
from tests.support.receipt_images import receipt_sample

ANA_CHAT = 7_100_000_001  # an operator of company 2
VIEWER_CHAT = 7_100_000_002  # a viewer of company 2
DAN_CHAT = 7_100_000_003  # an operator of company 1 only
STRANGER_CHAT = 7_100_000_004  # never linked
RECEIPTS = "/api/data-entry/receipts"
WAIT_S = 30.0
OCR_WAIT_S = 120.0  # the OCR model loads in the background when the app starts
SEED = 20  # SIGMA FOOD SRL, RO420681090, 01.02.2026 (an open month of the demo ledger), 49,93 lei at 11 %


@asynccontextmanager
async def bot_app(
    settings_factory: Callable[..., Settings], fake: FakeBotApi, **overrides: Any
) -> AsyncIterator[Quart]:
    """A started app whose bot talks to `fake` and is running, with the recorded BNR rates."""
    app = create_app(settings_factory(**bot_settings(fake, **overrides)))
    async with app.test_app():
        runtime: Runtime = app.extensions["roa2web"]
        assert runtime.services.bot is not None and await runtime.services.bot.wait_started(WAIT_S)
        await load_recorded_rates(runtime.app_db)
        yield app


async def linked_user(app: Quart, username: str, chat_id: int, *, roles: set[str],
                      company_ids: set[int] | None = None) -> dict[str, str]:
    """A user linked to `chat_id` (through the domain); their HTTP auth headers."""
    user = await add_user(app, username, roles=roles, company_ids={2} if company_ids is None else company_ids)
    links = app.extensions["roa2web"].chat_links
    code = await links.issue_code(user.id)
    await links.link_with_code(code.code, telegram_user_id=chat_id, chat_id=chat_id)
    return await login(app.test_client(), username)


def receipt_id_of(message: ApiCall) -> str:
    """The receipt the buttons under `message` act on."""
    ids = {data.rsplit(":", 1)[1] for _, data in message.buttons}
    assert len(ids) == 1, message.buttons
    return ids.pop()


def as_pdf(png: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).save(buffer, format="PDF", resolution=150)
    return buffer.getvalue()


async def receipt(app: Quart, headers: dict[str, str], receipt_id: str) -> tuple[int, dict[str, Any]]:
    response = await app.test_client().get(f"{RECEIPTS}/{receipt_id}", headers=headers)
    return response.status_code, await response.get_json()


async def answer(fake: FakeBotApi, chat_id: int, contains: str, since: int, timeout_s: float = WAIT_S) -> ApiCall:
    return await fake.next_call("sendMessage", chat_id=chat_id, since=since, contains=contains, timeout_s=timeout_s)


async def tap(fake: FakeBotApi, chat_id: int, message: ApiCall, data: str, contains: str) -> ApiCall:
    mark = fake.mark()
    fake.tap(chat_id, message.message_id, data)
    return await answer(fake, chat_id, contains, mark)


async def say(fake: FakeBotApi, chat_id: int, text: str, contains: str) -> ApiCall:
    mark = fake.mark()
    fake.send_text(chat_id, text)
    return await answer(fake, chat_id, contains, mark)


@pytest.mark.slow
async def test_a_photo_becomes_a_draft_whose_total_is_edited_and_which_is_submitted(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    sample = receipt_sample(SEED, "clean")
    truth = sample.truth
    async with bot_app(settings_factory, fake_api, ocr_enabled=True) as app:
        ana = await linked_user(app, "ana", ANA_CHAT, roles={"operator"})
        mark = fake_api.mark()
        started = time.perf_counter()
        fake_api.send_photo(ANA_CHAT, sample.data)
        received = await answer(fake_api, ANA_CHAT, "Am primit bonul", mark)
        assert received.text == "Am primit bonul, îl citesc…"
        fields = await answer(fake_api, ANA_CHAT, "Bonul citit", mark, OCR_WAIT_S)
        print(f"photo → fields reply: {time.perf_counter() - started:.2f} s")
        assert received.index < fields.index
        assert truth.supplier_cif == "RO420681090" and f"CIF furnizor: {truth.supplier_cif}" in fields.text
        assert f"Furnizor: {truth.supplier_name}" in fields.text
        assert f"Data: {truth.date:%d.%m.%Y}" == "Data: 01.02.2026" and "Data: 01.02.2026" in fields.text
        assert "Total: <b>49,93 lei</b>" in fields.text and truth.total_bani == 4993
        assert "TVA 11%: bază 44,98 lei, TVA 4,95 lei" in fields.text
        assert f"Număr bon: {truth.receipt_number}" in fields.text and "Plată: card" in fields.text
        assert "Stare: ciornă" in fields.text
        for sure in ("CIF furnizor: RO420681090\n", "Data: 01.02.2026\n", "Total: <b>49,93 lei</b>\n"):
            assert sure in fields.text  # checked by checksum and arithmetic: no "(verificați)"
        assert "⚠️ CIF-ul cumpărătorului de pe bon (33258414) nu este al firmei" in fields.text
        assert [label for label, _ in fields.buttons] == ["Confirmă", "Editează", "Trimite", "Renunță"]
        receipt_id = receipt_id_of(fields)
        assert [data for _, data in fields.buttons] == [f"rc:{action}:{receipt_id}"
                                                        for action in ("confirm", "edit", "submit", "discard")]
        status, body = await receipt(app, ana, receipt_id)
        assert status == 200 and (body["state"], body["source"], body["total"]) == ("DRAFT", "ocr", 49.93)

        choose = await tap(fake_api, ANA_CHAT, fields, f"rc:edit:{receipt_id}", "Ce câmp modificați?")
        assert ("Total", f"rf:total:{receipt_id}") in choose.buttons
        assert all(len(data.encode()) <= 64 for _, data in choose.buttons)
        asked = await tap(fake_api, ANA_CHAT, choose, f"rf:total:{receipt_id}", "Scrieți noua valoare pentru totalul")
        assert "1.234,56" in asked.text
        again = await say(fake_api, ANA_CHAT, "cincizeci", "Suma nu este validă")
        assert "Scrieți noua valoare pentru totalul" in again.text
        mark = fake_api.mark()
        fake_api.send_text(ANA_CHAT, "55,50")
        await answer(fake_api, ANA_CHAT, "Am modificat totalul.", mark)
        shown = await answer(fake_api, ANA_CHAT, "Total:", mark)
        assert "Total: <b>55,50 lei</b>" in shown.text
        assert "TVA 11%: bază 50,00 lei, TVA 5,50 lei" in shown.text  # the single VAT line follows the total
        assert receipt_id_of(shown) == receipt_id
        assert (await app.extensions["roa2web"].chat_links.state(ANA_CHAT)).awaiting is None

        done = await tap(fake_api, ANA_CHAT, shown, f"rc:submit:{receipt_id}", "trimis spre aprobare")
        assert done.text == "Bonul a fost trimis spre aprobare."
        status, body = await receipt(app, ana, receipt_id)
        assert status == 200 and body["state"] == "PENDING"
        assert (body["total"], body["supplier_cif"], body["receipt_date"]) == (55.5, truth.supplier_cif, "2026-02-01")
        assert body["vat_lines"] == [{"rate": 11, "base": 50.0, "vat": 5.5}]
        assert "total" in body["edited_fields"] and body["submitted_by"] == body["created_by"]

        late = await tap(fake_api, ANA_CHAT, shown, f"rc:edit:{receipt_id}", "Nu se poate modifica bonul")
        assert "în așteptarea aprobării" in late.text
        late = await tap(fake_api, ANA_CHAT, shown, f"rf:total:{receipt_id}", "Nu se poate modifica bonul")
        again = await tap(fake_api, ANA_CHAT, shown, f"rc:submit:{receipt_id}", "Nu se poate trimite bonul")
        assert "în așteptarea aprobării" in again.text


@pytest.mark.slow
async def test_a_pdf_document_is_read_confirmed_and_discarded_and_taps_are_checked(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    sample = receipt_sample(SEED, "clean")
    async with bot_app(settings_factory, fake_api, ocr_enabled=True) as app:
        ana = await linked_user(app, "ana", ANA_CHAT, roles={"operator"})
        await linked_user(app, "dan", DAN_CHAT, roles={"operator"}, company_ids={1})
        await linked_user(app, "victor", VIEWER_CHAT, roles={"viewer"})
        start = mark = fake_api.mark()
        fake_api.send_document(ANA_CHAT, as_pdf(sample.data), file_name="bon.pdf", mime_type="application/pdf")
        await answer(fake_api, ANA_CHAT, "Am primit bonul", mark)
        fields = await answer(fake_api, ANA_CHAT, "Bonul citit", mark, OCR_WAIT_S)
        assert "CIF furnizor: RO420681090" in fields.text and "Total: <b>49,93 lei</b>" in fields.text
        receipt_id = receipt_id_of(fields)
        status, body = await receipt(app, ana, receipt_id)
        assert status == 200 and body["attachments"][0]["content_type"] == "application/pdf"
        assert body["attachments"][0]["file_name"] == "bon.pdf"

        confirmed = await tap(fake_api, ANA_CHAT, fields, f"rc:confirm:{receipt_id}", "Am păstrat câmpurile")
        assert "Trimiteți spre aprobare cu Trimite" in confirmed.text
        status, body = await receipt(app, ana, receipt_id)
        assert body["state"] == "DRAFT"
        assert {"supplier_name", "supplier_cif", "receipt_date", "total", "vat_lines"} <= set(body["edited_fields"])

        # taps are requests: another company's operator, a viewer and a made-up id are refused
        forged = await tap(fake_api, DAN_CHAT, fields, f"rc:discard:{receipt_id}", "Nu există bonul")
        assert forged.text == f"Nu există bonul {receipt_id}."
        viewer = await tap(fake_api, VIEWER_CHAT, fields, f"rc:discard:{receipt_id}", "Doar un operator")
        assert "operator" in viewer.text
        made_up = "0" * 32
        await tap(fake_api, ANA_CHAT, fields, f"rc:submit:{made_up}", f"Nu există bonul {made_up}.")
        await tap(fake_api, DAN_CHAT, fields, f"rf:total:{receipt_id}", "Nu există bonul")
        assert (await receipt(app, ana, receipt_id))[0] == 200

        gone = await tap(fake_api, ANA_CHAT, fields, f"rc:discard:{receipt_id}", "Am renunțat la bon")
        assert "șterse" in gone.text
        assert (await receipt(app, ana, receipt_id))[0] == 404
        again = await tap(fake_api, ANA_CHAT, fields, f"rc:submit:{receipt_id}", "Nu există bonul")
        assert again.text == f"Nu există bonul {receipt_id}."
        answered = [call.params["callback_query_id"] for call in fake_api.calls[start:]
                    if call.method == "answerCallbackQuery"]
        assert len(answered) == len(set(answered)) == 7  # every tap answered once, done or refused


async def test_while_a_photo_is_being_read_its_chat_and_other_chats_are_answered(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    """No queue consumer in this process: the OCR job stays queued, so the bot's wait cannot end before the others."""
    async with bot_app(settings_factory, fake_api, ocr_enabled=True, queue_in_process=False) as app:
        ana = await linked_user(app, "ana", ANA_CHAT, roles={"operator"})
        mark = fake_api.mark()
        fake_api.send_photo(ANA_CHAT, receipt_sample(SEED, "clean").data)
        received = await answer(fake_api, ANA_CHAT, "Am primit bonul", mark)
        other = await say(fake_api, STRANGER_CHAT, "/ajutor", "asistentul contabil")
        same = await say(fake_api, ANA_CHAT, "/ajutor", "ROA2WEB – comenzi")
        text = await say(fake_api, ANA_CHAT, "mai este cineva?", "Nu am înțeles")
        assert received.index < other.index < same.index < text.index
        drafts = await app.test_client().get(RECEIPTS, query_string={"company_id": 2}, headers=ana)
        [draft] = (await drafts.get_json())["items"]
        status, body = await receipt(app, ana, draft["id"])
        assert status == 200 and body["state"] == "DRAFT" and body["ocr"]["state"] == "queued"  # still being waited for
        assert not [call for call in fake_api.calls[mark:] if "Bonul citit" in call.text]
    # the bot's stop ends the wait: the chat is told where the reading will show
    ended = await answer(fake_api, ANA_CHAT, "durează mai mult", mark)
    assert "aplicația web" in ended.text
    assert ended.index > text.index


async def test_with_ocr_off_the_photo_is_kept_as_a_draft_to_fill_in(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with bot_app(settings_factory, fake_api, ocr_enabled=False) as app:
        ana = await linked_user(app, "ana", ANA_CHAT, roles={"operator"})
        mark = fake_api.mark()
        fake_api.send_photo(ANA_CHAT, receipt_sample(SEED, "clean").data)
        await answer(fake_api, ANA_CHAT, "Am primit bonul", mark)
        kept = await answer(fake_api, ANA_CHAT, "ciornă", mark)
        assert "(OCR) este oprită" in kept.text and "aplicația web" in kept.text
        drafts = await app.test_client().get(RECEIPTS, query_string={"company_id": 2}, headers=ana)
        [draft] = (await drafts.get_json())["items"]
        status, body = await receipt(app, ana, draft["id"])
        assert (body["state"], body["source"], body["total"]) == ("DRAFT", "telegram", None)
        assert [file["content_type"] for file in body["attachments"]] == ["image/png"]

        # its fields can be filled from the chat too; submitting it first says what is missing
        draft_id = draft["id"]
        missing = await tap(fake_api, ANA_CHAT, kept, f"rc:submit:{draft_id}", "nu este gata")
        assert "• Bonul nu se poate trimite spre aprobare fără data bonului" in missing.text
        assert "fără totalul" in missing.text and "fără furnizor" in missing.text
        await tap(fake_api, ANA_CHAT, kept, f"rf:receipt_date:{draft_id}", "data bonului (zz.ll.aaaa")
        await say(fake_api, ANA_CHAT, "31.02.2026", "Data nu este validă")
        future = await say(fake_api, ANA_CHAT, "01.01.2099", "Valoarea nu se poate păstra")
        assert "Data bonului este în viitor" in future.text and "Scrieți noua valoare" in future.text
        mark = fake_api.mark()
        fake_api.send_text(ANA_CHAT, "1.2.2026")
        shown = await answer(fake_api, ANA_CHAT, "Data: 01.02.2026", mark)
        assert "Total: —" in shown.text

        # a new photo while a field's value is awaited: the value is no longer awaited
        await tap(fake_api, ANA_CHAT, kept, f"rf:total:{draft_id}", "Scrieți noua valoare pentru totalul")
        mark = fake_api.mark()
        fake_api.send_photo(ANA_CHAT, receipt_sample(SEED, "clean").data)
        await answer(fake_api, ANA_CHAT, "(OCR) este oprită", mark)
        assert (await app.extensions["roa2web"].chat_links.state(ANA_CHAT)).awaiting is None
        await say(fake_api, ANA_CHAT, "12,50", "Nu am înțeles")
        status, body = await receipt(app, ana, draft_id)
        assert (status, body["receipt_date"], body["total"]) == (200, "2026-02-01", None)


async def test_a_viewer_is_refused_and_nothing_is_kept(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with bot_app(settings_factory, fake_api, ocr_enabled=False) as app:
        victor = await linked_user(app, "victor", VIEWER_CHAT, roles={"viewer"})
        mark = fake_api.mark()
        fake_api.send_photo(VIEWER_CHAT, receipt_sample(SEED, "clean").data)
        refused = await answer(fake_api, VIEWER_CHAT, "Doar un operator", mark)
        assert "rolul de operator" in refused.text
        assert not [call for call in fake_api.calls[mark:] if "Am primit" in call.text]
        assert "getFile" not in [call.method for call in fake_api.calls[mark:]]
        drafts = await app.test_client().get(RECEIPTS, query_string={"company_id": 2}, headers=victor)
        assert (await drafts.get_json())["items"] == []

        mark = fake_api.mark()  # an unlinked chat's photo is not even downloaded
        fake_api.send_photo(STRANGER_CHAT, b"\xff\xd8 not read")
        assert "nu este legat" in (await answer(fake_api, STRANGER_CHAT, "", mark)).text
        assert "getFile" not in [call.method for call in fake_api.calls[mark:]]


async def test_too_large_and_unsupported_files_are_refused_before_anything_is_made(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with bot_app(settings_factory, fake_api, ocr_enabled=True, queue_in_process=False,
                       data_entry_max_upload_mb=1) as app:
        ana = await linked_user(app, "ana", ANA_CHAT, roles={"operator"})
        mark = fake_api.mark()
        fake_api.send_photo(ANA_CHAT, b"\xff" * (1024 * 1024 + 300_000))
        big = await answer(fake_api, ANA_CHAT, "MB", mark)
        assert big.text == "Fișierul are 1,3 MB; primesc fișiere de cel mult 1 MB."
        fake_api.send_document(ANA_CHAT, b"a,b\n1,2\n", file_name="bon.csv", mime_type="text/csv")
        other = await answer(fake_api, ANA_CHAT, "PDF", mark)
        assert other.text.startswith("Primesc bonuri ca fotografie")
        fake_api.send_document(ANA_CHAT, b"not a png at all", file_name="bon.png", mime_type="image/png")
        received = await answer(fake_api, ANA_CHAT, "Am primit bonul", mark)
        rejected = await answer(fake_api, ANA_CHAT, "Se acceptă doar", received.index + 1)
        assert "JPEG, PNG, WebP, TIFF, HEIC și PDF" in rejected.text
        assert "getFile" not in [call.method for call in fake_api.calls[mark:big.index]]
        drafts = await app.test_client().get(RECEIPTS, query_string={"company_id": 2}, headers=ana)
        assert (await drafts.get_json())["items"] == []
