"""`/api/reports/exports`: request → 202 → progress → download, XLSX and PDF, only for who may see them."""

from __future__ import annotations

import asyncio
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pypdfium2
import pytest

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import REPORTS

TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def settings(settings_factory):
    return settings_factory(queue_max_delay_s=0.1, ocr_enabled=False)


async def _export(client, headers, report, params, fmt="xlsx"):
    response = await client.post("/api/reports/exports", json={"report": report, "params": params, "format": fmt},
                                 headers=headers)
    assert response.status_code == 202, await response.get_data()
    body = await response.get_json()
    assert response.headers["Location"] == body["status_url"] == f"/api/reports/exports/{body['job_id']}"
    assert body["state"] == "queued" and body["downloads"] == {} and body["finished_at"] is None
    return body


async def _until_finished(client, headers, status_url, seen=None):
    for _ in range(500):
        status = await (await client.get(status_url, headers=headers)).get_json()
        if seen is not None:
            seen.append(status)
        if status["state"] in {"done", "failed", "cancelled"}:
            return status
        await asyncio.sleep(0.02)
    raise AssertionError(f"export did not finish: {status}")


async def test_xlsx_export_round_trip(client, user_headers, demo_ledger_path):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    accepted = await _export(client, headers, "trial_balance", TB)
    seen = []
    status = await _until_finished(client, headers, accepted["status_url"], seen)
    assert status["state"] == "done" and status["progress"] == 100 and status["error"] is None
    assert status["downloads"] == {"xlsx": f"{accepted['status_url']}/download"} and status["finished_at"]
    assert status["job_id"] == accepted["job_id"] and status["status_url"] == accepted["status_url"]
    assert status["message"] == "Finalizat"
    assert accepted["title"] == status["title"] == "Balanța de verificare, ianuarie 2025 – martie 2025 (XLSX)"
    mine = await (await client.get("/api/tasks/mine", headers=headers)).get_json()
    assert [(job["job_id"], job["title"]) for job in mine["jobs"]] == [(status["job_id"], status["title"])]
    assert seen[0]["state"] in {"queued", "running", "done"}
    assert seen[0]["downloads"] in ({}, status["downloads"])

    download = await client.get(status["downloads"]["xlsx"], headers=headers)
    assert download.status_code == 200 and download.headers["Content-Type"] == XLSX
    name = "balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in download.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(await download.get_data())).active

    ledger = EmbeddedLedger(demo_ledger_path)
    spec = REPORTS["trial_balance"]
    result = await spec.run(ledger, TB)
    await ledger.close()
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(index for index, row in enumerate(rows) if row[0] == "Cont")
    body, totals = rows[header_at + 1:-1], rows[-1]
    assert [row[0] for row in body] == [item.account for item in result.rows]
    assert totals[0] == "TOTAL"
    money = [index for index, column in enumerate(spec.columns) if column.kind == "money"]
    expected = spec.cells(result.totals)
    assert [Decimal(str(totals[index])).quantize(Decimal("0.01")) for index in money] == [expected[i] for i in money]


async def test_pdf_export_has_romanian_text(client, user_headers):
    headers = await user_headers("ana", roles={"viewer"})
    accepted = await _export(client, headers, "trial_balance", TB, "pdf")
    status = await _until_finished(client, headers, accepted["status_url"])
    assert list(status["downloads"]) == ["pdf"]
    download = await client.get(status["downloads"]["pdf"], headers=headers)
    assert download.headers["Content-Type"] == "application/pdf"
    assert "balanta-de-verificare_ALFA-COMERT_2025-01-03.pdf" in download.headers["Content-Disposition"]
    pdf = pypdfium2.PdfDocument(await download.get_data())
    text = "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    pdf.close()
    assert "Balanța de verificare" in text and "Contribuția" in text and "și" in text and "TOTAL" in text


MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


@pytest.mark.parametrize(("report", "params"), [
    ("dashboard", {"company_id": 2, "year": 2025, "month": 6}),
    ("invoices", {"company_id": 2, "status": "all"}),
    ("invoices_aging", {"company_id": 2, "as_of": "2025-06-30"}),
    ("treasury", {"company_id": 2, "date_from": "2025-01-01", "date_to": "2025-03-31"}),
    ("trial_balance", {"company_id": 2, "year": 2025, "month_from": 4, "month_to": 4, "level": "analytic"}),
    ("journal", {"company_id": 2, "year": 2025, "month_from": 4, "month_to": 4}),
])
async def test_every_report_is_exportable(client, user_headers, report, params):
    assert report in REPORTS
    headers = await user_headers("boss", roles={"admin"})
    for fmt in ("xlsx", "csv", "pdf"):
        status = await _until_finished(client, headers, (await _export(client, headers, report, params, fmt))[
            "status_url"])
        assert status["state"] == "done", status
        download = await client.get(status["downloads"][fmt], headers=headers)
        assert download.status_code == 200 and len(await download.get_data()) > 300
        assert "_BETA-SERVICE_" in download.headers["Content-Disposition"]
        assert download.headers["Content-Type"] == MEDIA_TYPES[fmt]


async def test_only_owner_or_admin_and_only_visible_companies(client, user_headers):
    ana = await user_headers("ana", roles={"viewer"}, company_ids={1})
    dan = await user_headers("dan", roles={"viewer"}, company_ids={1})
    boss = await user_headers("boss", roles={"admin"})
    forbidden = await client.post("/api/reports/exports", json={"report": "trial_balance",
                                                                "params": {**TB, "company_id": 2}}, headers=ana)
    assert forbidden.status_code == 403
    accepted = await _export(client, ana, "trial_balance", TB)
    status = await _until_finished(client, ana, accepted["status_url"])
    operator_view = await (await client.get(f"/api/tasks/{accepted['job_id']}", headers=ana)).get_json()
    assert {key: operator_view[key] for key in status} == status and operator_view["kind"] == "report_export"
    for path in (accepted["status_url"], status["downloads"]["xlsx"]):
        assert (await client.get(path, headers=dan)).status_code == 404
        assert (await client.get(path, headers=boss)).status_code == 200
        assert (await client.get(path)).status_code == 401


async def test_bad_requests(client, user_headers):
    headers = await user_headers("boss", roles={"admin"})
    unknown = await client.post("/api/reports/exports", json={"report": "nope", "params": TB}, headers=headers)
    assert unknown.status_code == 400 and (await unknown.get_json())["type"].endswith("unknown-report")
    bad = await client.post("/api/reports/exports", json={"report": "trial_balance",
                                                          "params": {**TB, "month_to": 13}}, headers=headers)
    assert bad.status_code == 400
    assert (await bad.get_json())["errors"][0]["loc"] == ["params", "month_to"]
    wrong_format = await client.post("/api/reports/exports", json={"report": "trial_balance", "params": TB,
                                                                   "format": "ods"}, headers=headers)
    assert wrong_format.status_code == 400


async def test_expired_file_is_gone(app, client, user_headers):
    headers = await user_headers("boss", roles={"admin"})
    status = await _until_finished(client, headers, (await _export(client, headers, "trial_balance", TB))["status_url"])
    exports = app.extensions["roa2web"].settings.data_path("exports")
    removed = [path for path in exports.rglob("*.xlsx")]
    for path in removed:
        path.unlink()
    assert len(removed) == 1
    gone = await client.get(status["downloads"]["xlsx"], headers=headers)
    assert gone.status_code == 410 and (await gone.get_json())["type"].endswith("export-expired")


async def _admin(app):
    """An admin in `app`, logged in over HTTP; their headers."""
    await store.create_user(app.extensions["roa2web"].app_db, username="boss", display_name="Boss",
                            password_hash=await hash_password("parola-boss-1"), roles=frozenset({"admin"}),
                            company_ids=None)
    response = await app.test_client().post("/api/auth/login", json={"username": "boss", "password": "parola-boss-1"})
    return {"Authorization": f"Bearer {(await response.get_json())['access_token']}"}


async def test_not_ready_and_failed_exports(settings_factory, tmp_path):
    waiting = create_app(settings_factory(queue_in_process=False, ocr_enabled=False))
    async with waiting.test_app():
        client = waiting.test_client()
        headers = await _admin(waiting)
        accepted = await _export(client, headers, "trial_balance", TB)
        early = await client.get(f"{accepted['status_url']}/download", headers=headers)
        assert early.status_code == 409 and (await early.get_json())["type"].endswith("export-not-ready")

    broken = create_app(settings_factory(ledger_path=tmp_path / "missing.sqlite", data_dir=tmp_path / "other",
                                         queue_retry_delay_s=0.05, queue_max_attempts=2, queue_max_delay_s=0.1,
                                         ocr_enabled=False))
    async with broken.test_app():
        client = broken.test_client()
        headers = await _admin(broken)
        status = await _until_finished(client, headers, (await _export(client, headers, "trial_balance", TB))[
            "status_url"])
        assert status["state"] == "failed" and status["downloads"] == {}
        assert status["error"].startswith("TransientJobError: Contabilitatea (ROA) nu a răspuns.")
        assert "missing.sqlite" not in status["error"]  # the ledger's own message names its file: log only
        assert status["error"].endswith("(after 2 attempts)")


async def test_a_journal_export_job_reports_progress_by_rows_written(client, user_headers, demo_ledger_path,
                                                                     monkeypatch):
    from roa2web.exports import xlsx
    from roa2web.jobs import transitions

    monkeypatch.setattr(xlsx, "PROGRESS_EVERY", 500)
    recorded: list[tuple[int, str]] = []
    record_progress = transitions.record_progress

    async def recording(db, job_id, worker, progress, message):
        recorded.append((progress, message))
        return await record_progress(db, job_id, worker, progress, message)

    monkeypatch.setattr(transitions, "record_progress", recording)
    headers = await user_headers("boss", roles={"admin"})
    params = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 12}
    status = await _until_finished(client, headers, (await _export(client, headers, "journal", params))["status_url"])
    assert status["state"] == "done" and status["progress"] == 100, status

    ledger = EmbeddedLedger(demo_ledger_path)
    count = (await ledger.fetch("reports.journal_count", company_id=1, fiscal_year=2025, month_from=1,
                                month_to=12))[0]["line_count"]
    await ledger.close()
    rows = [(percent, int(message.split()[2])) for percent, message in recorded
            if message.startswith("Rânduri scrise:")]
    assert all(message.endswith(f"din {count}") for _, message in recorded if message.startswith("Rânduri scrise:"))
    written = [done for _, done in rows]
    assert written == sorted(set(written)) and written[0] == 500 and written[-1] == count  # one step per 500 rows
    assert [percent for percent, _ in rows] == sorted(percent for percent, _ in rows)
    assert rows[0][0] < rows[-1][0] <= 95
    sheet = openpyxl.load_workbook(io.BytesIO(await (await client.get(status["downloads"]["xlsx"],
                                                                       headers=headers)).get_data()),
                                   read_only=True).active
    body = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(body) == count and body[-1][0] == count
