"""The report commands end to end: the real app on the demo ledger, the real PTB client, the fake Bot API.

Every reply's figures are the HTTP API's for the same parameters (asked through the app's test
client): the bot's text equals the text made from the API's body, and its key amounts appear in it.
A chat only ever sees its user's companies, whatever state or button data points elsewhere.
The firm's day is pinned to TODAY (inside the demo ledger's window) through bot_data[TODAY_KEY].
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from PIL import Image
from quart import Quart

from roa2web.app import create_app
from roa2web.bot.handlers.trial_balance import PREPARING
from roa2web.bot.reading import TODAY_KEY
from roa2web.bot.texts import (
    account_balance_text,
    dashboard_text,
    format_lei,
    invoice_page_count,
    invoices_text,
    overdue_text,
    treasury_text,
)
from roa2web.companies import all_companies
from roa2web.exports.service import REPORT_EXPORT_JOB
from roa2web.jobs.store import JobState
from roa2web.reports import REPORTS
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from tests.conftest import add_user, login
from tests.support.fake_bot_api import ApiCall, FakeBotApi, bot_settings

TODAY = dt.date(2025, 12, 15)
CHAT = 7_100_000_001
WAIT_S = 60.0
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A, B = 1, 2  # ALFA COMERT SRL, BETA SERVICE SRL in the demo ledger


def runtime_of(app: Quart) -> Runtime:
    runtime: Runtime = app.extensions["roa2web"]
    return runtime


async def started(app: Quart) -> None:
    """Wait for the bot (and the queue consumer, when in process); pin the bot's day to TODAY."""
    runtime = runtime_of(app)
    assert await runtime.services.bot.wait_started(WAIT_S)
    runtime.services.bot.application.bot_data[TODAY_KEY] = lambda: TODAY
    if runtime.settings.queue_in_process:
        deadline = time.monotonic() + WAIT_S
        while runtime.queue_part.consumer is None:
            assert time.monotonic() < deadline, "the queue consumer did not start"
            await asyncio.sleep(0.05)


@pytest.fixture
async def bot_app(settings_factory: Callable[..., Settings], fake_api: FakeBotApi) -> AsyncIterator[Quart]:
    """The app with its bot on the fake Bot API and its queue consuming in process."""
    app = create_app(settings_factory(**bot_settings(fake_api), queue_max_delay_s=0.1))
    async with app.test_app():
        await started(app)
        yield app


async def linked_user(app: Quart, username: str, company_ids: set[int] | None, chat_id: int = CHAT) -> dict[str, str]:
    """A viewer whose Telegram chat is linked (through the domain); returns their HTTP auth header."""
    user = await add_user(app, username, roles={"viewer"}, company_ids=company_ids)
    links = runtime_of(app).chat_links
    issued = await links.issue_code(user.id)
    await links.link_with_code(issued.code, telegram_user_id=chat_id, chat_id=chat_id)
    return await login(app.test_client(), username)


async def api(app: Quart, headers: dict[str, str], path: str, **query: Any) -> dict[str, Any]:
    """The HTTP API's report body for `query`."""
    response = await app.test_client().get(path, query_string=query, headers=headers)
    assert response.status_code == 200, await response.get_data()
    body: dict[str, Any] = orjson.loads(await response.get_data())
    return body


async def company_name(app: Quart, company_id: int) -> str:
    return next(c.name for c in await all_companies(runtime_of(app).ledger) if c.id == company_id)


async def ask(fake: FakeBotApi, text: str, method: str | tuple[str, ...] = "sendMessage", *,
              contains: str | None = None, chat_id: int = CHAT) -> ApiCall:
    """Write `text` in the chat and wait for the bot's answer."""
    mark = fake.mark()
    fake.send_text(chat_id, text)
    return await fake.next_call(method, chat_id=chat_id, since=mark, contains=contains, timeout_s=WAIT_S)


async def tap(fake: FakeBotApi, message_id: int, data: str, *, chat_id: int = CHAT) -> ApiCall:
    """Tap a button under the bot's message and wait for the edit."""
    mark = fake.mark()
    fake.tap(chat_id, message_id, data)
    edit = await fake.next_call("editMessageText", chat_id=chat_id, since=mark, timeout_s=WAIT_S)
    await fake.next_call("answerCallbackQuery", since=mark, timeout_s=WAIT_S)
    return edit


def dashboard_query(company_id: int) -> dict[str, Any]:
    return {"company_id": company_id, "year": TODAY.year, "month": TODAY.month}


def invoices_query(company_id: int) -> dict[str, Any]:
    return {"company_id": company_id, "kind": "sales", "status": "unpaid", "as_of": TODAY.isoformat(), "limit": 1000}


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


async def test_dashboard_sends_the_kpis_with_the_chart_as_the_apis(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    began = time.monotonic()
    photo = await ask(fake_api, "/dashboard", "sendPhoto")
    print(f"\n/dashboard → photo sent: {time.monotonic() - began:.2f} s (first, matplotlib loading)")
    response = await bot_app.test_client().get("/api/reports/dashboard", query_string=dashboard_query(A),
                                               headers=headers)
    assert response.headers["X-Cache"] == "HIT-L1"  # the bot filled the very cache entry the web reads
    body = orjson.loads(await response.get_data())

    name = await company_name(bot_app, A)
    assert photo.params["parse_mode"] == "HTML"
    assert photo.text == dashboard_text(name, body)  # the whole text fits the caption
    for figure in (body["current"]["revenue"], body["current"]["expenses"], body["year_to_date"]["revenue"],
                   body["cash"], body["bank"], body["receivables"], body["overdue_payables"]):
        assert format_lei(figure) in photo.text
    image = Image.open(io.BytesIO(photo.file()))
    assert (image.format, image.size) == ("PNG", (1000, 560))
    image.verify()

    began = time.monotonic()
    await ask(fake_api, "/dashboard", "sendPhoto")
    print(f"/dashboard → photo sent: {time.monotonic() - began:.2f} s (warm)")


async def test_without_matplotlib_the_dashboard_is_its_text_with_a_note(
    bot_app: Quart, fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    for module in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.ticker"):
        monkeypatch.setitem(sys.modules, module, None)  # as if the `telegram` extra were not installed
    mark = fake_api.mark()
    message = await ask(fake_api, "/dashboard", contains="Tablou de bord")
    body = await api(bot_app, headers, "/api/reports/dashboard", **dashboard_query(A))
    assert message.text.startswith(dashboard_text(await company_name(bot_app, A), body))
    assert "Graficul nu poate fi desenat" in message.text
    assert not [call for call in fake_api.calls[mark:] if call.method == "sendPhoto"]


async def test_facturi_pages_the_unpaid_invoices_with_buttons(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    first = await ask(fake_api, "/facturi", contains="Facturi de vânzare")
    body = await api(bot_app, headers, "/api/reports/invoices", **invoices_query(A))
    name, pages = await company_name(bot_app, A), invoice_page_count(body)
    assert pages >= 3  # the demo firm has dozens of unpaid invoices

    assert first.params["parse_mode"] == "HTML"
    assert first.text == invoices_text(name, body, page_no=1)
    assert format_lei(body["totals"]["balance"]) in first.text and f"Pagina 1 din {pages}" in first.text
    assert first.buttons == [("Înainte ›", "inv:2")]

    second = await tap(fake_api, 4242, "inv:2")
    assert int(second.params["message_id"]) == 4242  # the listing's own message is edited
    assert second.text == invoices_text(name, body, page_no=2)
    assert second.buttons == [("‹ Înapoi", "inv:1"), ("Înainte ›", "inv:3")]

    last = await tap(fake_api, 4242, "inv:999")  # past the end: the last page
    assert last.text == invoices_text(name, body, page_no=pages) and f"Pagina {pages} din {pages}" in last.text
    assert last.buttons == [("‹ Înapoi", f"inv:{pages - 1}")]


async def test_restante_and_trezorerie_give_the_apis_figures(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    name = await company_name(bot_app, A)

    overdue = await ask(fake_api, "/restante", contains="Restanțe")
    aging = {kind: await api(bot_app, headers, "/api/reports/invoices/aging", company_id=A, kind=kind,
                             as_of=TODAY.isoformat(), basis="due_date") for kind in ("sales", "purchases")}
    assert overdue.text == overdue_text(name, aging["sales"], aging["purchases"])
    for kind in ("sales", "purchases"):
        totals = aging[kind]["totals"]
        assert format_lei(totals["total"]) in overdue.text and format_lei(totals["d1_30"]) in overdue.text
        assert format_lei(money(totals["total"]) - money(totals["not_due"])) in overdue.text

    treasury_message = await ask(fake_api, "/trezorerie", contains="Trezorerie")
    treasury = await api(bot_app, headers, "/api/reports/treasury", company_id=A, date_from=f"{TODAY.year}-01-01",
                         date_to=TODAY.isoformat())
    assert treasury_message.text == treasury_text(name, treasury)
    assert format_lei(treasury["totals"]["closing"]) in treasury_message.text
    assert all(format_lei(row["closing"]) in treasury_message.text for row in treasury["rows"])


async def test_sold_for_a_known_an_unknown_and_no_account(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    name = await company_name(bot_app, A)

    known = await ask(fake_api, "/sold 5121", contains="Soldul contului")
    balance = await api(bot_app, headers, "/api/reports/trial-balance", company_id=A, year=TODAY.year, month_from=1,
                        month_to=TODAY.month, level="synthetic", account_prefix="5121", hide_zero="false")
    assert known.text == account_balance_text(name, "5121", balance)
    row = next(r for r in balance["rows"] if r["account"] == "5121")
    for figure in ("opening_debit", "current_debit", "current_credit", "closing_debit"):
        assert format_lei(row[figure]) in known.text

    unknown = await ask(fake_api, "/sold 999", contains="Soldul contului")
    assert "Contul 999 nu există în planul de conturi al firmei." in unknown.text

    for wrong in ("/sold", "/sold casa", "/sold 5121 5311", "/sold " + "1" * 6 + ".1" * 20):
        usage = await ask(fake_api, wrong)
        assert usage.text.startswith("Scrieți contul după comandă") and "/sold 5121" in usage.text


def totals_of_workbook(data: bytes) -> tuple[str, dict[str, Decimal]]:
    """(the sheet's company line, the TOTAL row's money by column key) of an exported trial balance."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    columns = REPORTS["trial_balance"].columns
    labels = [column.label for column in columns]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(labels)
    total = next(row for row in rows[header:] if row[0] == "TOTAL")
    figures = {column.key: money(value) for column, value in zip(columns, total, strict=True)
               if column.kind == "money"}
    return str(sheet["A2"].value), figures


async def test_balanta_sends_the_export_jobs_xlsx_with_the_apis_totals(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    mark = fake_api.mark()
    began = time.monotonic()
    fake_api.send_text(CHAT, "/balanta")
    await fake_api.next_call("sendMessage", chat_id=CHAT, since=mark, contains=PREPARING, timeout_s=WAIT_S)
    document = await fake_api.next_call("sendDocument", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
    print(f"\n/balanta → XLSX sent: {time.monotonic() - began:.2f} s")

    jobs = await runtime_of(bot_app).jobs.list(kind=REPORT_EXPORT_JOB)
    assert len(jobs) == 1
    job = jobs[0]
    assert (job.state, job.company_id, job.params["params"]["month_to"]) == (JobState.DONE, A, TODAY.month)
    download = await bot_app.test_client().get(f"/api/reports/exports/{job.id}/download", headers=headers)
    assert download.status_code == 200
    assert document.file() == await download.get_data()  # the very file the web downloads
    assert Path(job.result_ref or "").name in download.headers["Content-Disposition"]
    assert document.file_names["document"] == Path(job.result_ref or "").name
    assert document.file_names["document"].startswith("balanta-de-verificare_ALFA-COMERT_2025-01-12")

    company_line, totals = totals_of_workbook(document.file())
    balance = await api(bot_app, headers, "/api/reports/trial-balance", company_id=A, year=TODAY.year, month_from=1,
                        month_to=TODAY.month)
    assert totals == {key: money(value) for key, value in balance["totals"].items()}
    assert company_line.startswith(await company_name(bot_app, A))
    assert "Balanța de verificare" in document.text and "ianuarie 2025 – decembrie 2025" in document.text

    march = await ask(fake_api, "/balanta martie", "sendDocument")
    assert march.file_names["document"].startswith("balanta-de-verificare_ALFA-COMERT_2025-01-03")
    _, totals = totals_of_workbook(march.file())
    balance = await api(bot_app, headers, "/api/reports/trial-balance", company_id=A, year=2025, month_from=1,
                        month_to=3)
    assert totals == {key: money(value) for key, value in balance["totals"].items()}

    for wrong in ("/balanta 13", "/balanta mart1e", "/balanta 0", "/balanta 3/99999", "/balanta m"):
        usage = await ask(fake_api, wrong)
        assert usage.text.startswith("Scrieți luna după comandă"), wrong


async def test_balanta_waits_without_holding_the_chat_and_says_when_its_job_is_cancelled(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    app = create_app(settings_factory(**bot_settings(fake_api), queue_in_process=False))  # the job stays queued
    async with app.test_app():
        await started(app)
        await linked_user(app, "ana", {A})
        await ask(fake_api, "/balanta 3/2025", contains=PREPARING)
        jobs = runtime_of(app).jobs
        deadline = time.monotonic() + WAIT_S
        while not (submitted := await jobs.list(kind=REPORT_EXPORT_JOB)):  # submitted right after the words
            assert time.monotonic() < deadline, "no export job was submitted"
            await asyncio.sleep(0.05)
        assert [(job.state, job.params["params"]["month_to"]) for job in submitted] == [(JobState.QUEUED, 3)]

        treasury = await ask(fake_api, "/trezorerie", contains="Trezorerie")  # answered while /balanta waits
        assert treasury.chat_id == CHAT

        mark = fake_api.mark()
        await jobs.cancel(submitted[0].id)
        cancelled = await fake_api.next_call("sendMessage", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
        assert cancelled.text == "Pregătirea balanței a fost anulată."


async def test_a_chat_of_company_a_never_sees_company_b(bot_app: Quart, fake_api: FakeBotApi) -> None:
    headers = await linked_user(bot_app, "ana", {A})
    runtime = runtime_of(bot_app)
    await runtime.chat_links.set_company(CHAT, B)  # a state pointing at a company the user has no rights on
    name_a, name_b = await company_name(bot_app, A), await company_name(bot_app, B)

    photo = await ask(fake_api, "/dashboard", "sendPhoto")
    body_a = await api(bot_app, headers, "/api/reports/dashboard", **dashboard_query(A))
    assert photo.text == dashboard_text(name_a, body_a) and name_b not in photo.text
    forbidden = await bot_app.test_client().get("/api/reports/dashboard", query_string=dashboard_query(B),
                                                headers=headers)
    assert forbidden.status_code == 403

    listing = await api(bot_app, headers, "/api/reports/invoices", **invoices_query(A))
    forged = await tap(fake_api, 777, "inv:2")  # a tap the chat could forge: it carries no company
    assert forged.text == invoices_text(name_a, listing, page_no=2) and name_b not in forged.text

    sold = await ask(fake_api, "/sold 5121", contains="Soldul contului")
    assert name_a in sold.text and name_b not in sold.text

    document = await ask(fake_api, "/balanta", "sendDocument")
    assert document.file_names["document"].startswith("balanta-de-verificare_ALFA-COMERT")
    company_line, _ = totals_of_workbook(document.file())
    assert company_line.startswith(name_a)
    assert [job.company_id for job in await runtime.jobs.list(kind=REPORT_EXPORT_JOB)] == [A]


async def test_a_ledger_failure_is_one_romanian_sentence(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_factory(**bot_settings(fake_api), ledger_path=tmp_path / "missing-ledger.sqlite")
    app = create_app(settings)
    async with app.test_app():
        await started(app)
        await linked_user(app, "ana", None)
        answer = await ask(fake_api, "/trezorerie")
        assert answer.text.startswith("Contabilitatea (ROA)")
        assert "sqlite" not in answer.text.lower() and "Traceback" not in answer.text
