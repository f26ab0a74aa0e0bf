"""Export for ROA: approved receipts of a period → entries as CSV and XLSX, by a queued job."""

from __future__ import annotations

import csv
import io
import os
import time
from decimal import Decimal

from openpyxl import load_workbook

from roa2web.auth.principal import Principal
from roa2web.data_entry.export.service import HEADER, entry_rows, ron
from roa2web.tasks.exports import delete_expired_exports
from tests.support.data_entry import receipt_payload, wait_for

RECEIPTS = "/api/data-entry/receipts"
EXPORTS = "/api/data-entry/exports"
RATE = Decimal("5.0968")  # RON per EUR
DECEMBER = {"company_id": 2, "date_from": "2025-12-01", "date_to": "2025-12-31"}


async def approved(client, operator, approver, **overrides) -> str:
    response = await client.post(RECEIPTS, json=receipt_payload(**overrides), headers=operator)
    receipt_id = (await response.get_json())["id"]
    assert (await client.post(f"{RECEIPTS}/{receipt_id}/submit", json={}, headers=operator)).status_code == 200
    assert (await client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=approver)).status_code == 200
    return receipt_id


async def run_export(client, headers, body) -> dict:
    response = await client.post(EXPORTS, json=body, headers=headers)
    assert response.status_code == 202, await response.get_data()
    accepted = await response.get_json()
    assert set(accepted) == {"job_id", "title", "status_url", "state", "progress", "message", "downloads", "created_at",
                             "finished_at", "error", "company_id", "receipts", "release"}  # the job resource + its own
    assert response.headers["Location"] == accepted["status_url"] == f"{EXPORTS}/{accepted['job_id']}"
    assert accepted["downloads"] == {} and accepted["finished_at"] is None

    async def done():
        status = await (await client.get(accepted["status_url"], headers=headers)).get_json()
        return status if status["state"] in ("done", "failed") else None

    return await wait_for(done, timeout_s=60)


async def test_export_writes_the_entries_and_marks_receipts_exported(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    card = await approved(de_client, ana, bogdan, document_number="1")
    cash = await approved(de_client, ana, bogdan, document_number="2", payment_method="cash", buyer_cif_present=False)
    await approved(de_client, ana, bogdan, document_number="3", receipt_date="2026-01-05")  # outside the period
    await approved(de_client, ana, bogdan, company_id=1)  # another company
    pending = (await (await de_client.post(RECEIPTS, json=receipt_payload(), headers=ana)).get_json())["id"]
    await de_client.post(f"{RECEIPTS}/{pending}/submit", json={}, headers=ana)

    status = await run_export(de_client, bogdan, DECEMBER)
    assert status["state"] == "done", status
    assert status["receipts"] == 2
    assert set(status["downloads"]) == {"xlsx", "csv"}
    task = await (await de_client.get(f"/api/tasks/{status['job_id']}", headers=bogdan)).get_json()
    assert (task["state"], task["status_url"], task["downloads"]) == ("done", status["status_url"], status["downloads"])
    assert status["title"] == task["title"] == "Export în ROA, decembrie 2025"

    csv_response = await de_client.get(status["downloads"]["csv"], headers=bogdan)
    assert csv_response.status_code == 200
    assert csv_response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO((await csv_response.get_data()).decode("utf-8"))))
    assert tuple(rows[0]) == HEADER
    lines = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert {line["ID bon"] for line in lines} == {card, cash}
    assert [(x["Cont debitor"], x["Cont creditor"], x["Sumă"]) for x in lines if x["ID bon"] == card] == [
        ("6022", "5121", "300.00"), ("4426", "5121", "63.00"), ("6022", "5121", "10.00"), ("4426", "5121", "1.10")]
    assert [(x["Cont debitor"], x["Cont creditor"], x["Sumă"]) for x in lines if x["ID bon"] == cash] == [
        ("6022", "5311", "374.10")]

    xlsx = await de_client.get(f"{EXPORTS}/{status['job_id']}/download", query_string={"format": "xlsx"},
                               headers=bogdan)
    sheet = load_workbook(io.BytesIO(await xlsx.get_data()), read_only=True).active
    cells = [row for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == HEADER and len(cells) == len(rows)
    assert sum(row[8] for row in cells[1:]) == sum(float(x["Sumă"]) for x in lines)

    for receipt_id in (card, cash):
        receipt = await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=ana)).get_json()
        assert receipt["state"] == "EXPORTED" and receipt["exported_at"]
        history = await (await de_client.get(f"{RECEIPTS}/{receipt_id}/history", headers=ana)).get_json()
        assert history["items"][-1]["action"] == "export"
    assert (await de_client.patch(f"{RECEIPTS}/{card}", json={"notes": "x"}, headers=ana)).status_code == 409
    again = await run_export(de_client, bogdan, DECEMBER)
    assert (again["state"], again["receipts"]) == ("done", 0)  # an exported receipt is never exported twice


async def test_export_rights_and_validation(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    assert (await de_client.post(EXPORTS, json=DECEMBER, headers=ana)).status_code == 403  # not an approver
    other = {**DECEMBER, "company_id": 1}
    assert (await de_client.post(EXPORTS, json=other, headers=carmen)).status_code == 403  # not her company
    backwards = {**DECEMBER, "date_from": "2026-01-01"}
    assert (await de_client.post(EXPORTS, json=backwards, headers=bogdan)).status_code == 400
    status = await run_export(de_client, bogdan, other)
    assert (await de_client.get(f"{EXPORTS}/{status['job_id']}", headers=carmen)).status_code == 404  # not hers
    assert (await de_client.get(f"{EXPORTS}/{'f' * 32}", headers=bogdan)).status_code == 404
    bad_format = await de_client.get(f"{EXPORTS}/{status['job_id']}/download", query_string={"format": "exe"},
                                     headers=bogdan)
    assert bad_format.status_code == 400


async def test_export_files_live_in_the_jobs_directory_and_expire_to_a_410(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    await approved(de_client, ana, bogdan)
    status = await run_export(de_client, bogdan, DECEMBER)
    assert status["state"] == "done", status
    runtime = de_app.extensions["roa2web"]
    job_dir = runtime.settings.data_path("exports", status["job_id"])
    files = sorted(path.name for path in job_dir.iterdir())
    assert files == [f"bonuri-2-{status['job_id'][:8]}.csv", f"bonuri-2-{status['job_id'][:8]}.xlsx"]
    assert not runtime.settings.data_path("exports", "receipts").exists()
    download = await de_client.get(status["downloads"]["csv"], headers=bogdan)
    assert download.status_code == 200
    assert files[0] in download.headers["Content-Disposition"]

    # the exports housekeeping (EXPORT_TTL_HOURS) removes the job's directory once its files are old
    assert await delete_expired_exports(runtime) == 0
    old = time.time() - runtime.settings.export_ttl_hours * 3600 - 60
    for path in job_dir.iterdir():
        os.utime(path, (old, old))
    assert await delete_expired_exports(runtime) == 1
    assert not job_dir.exists()
    for fmt in ("csv", "xlsx"):
        gone = await de_client.get(status["downloads"][fmt], headers=bogdan)
        assert gone.status_code == 410
        assert gone.content_type == "application/problem+json"
        assert (await gone.get_json())["type"].endswith("export-expired")
    assert (await (await de_client.get(f"{EXPORTS}/{status['job_id']}", headers=bogdan)).get_json())["state"] == "done"


async def test_amounts_are_decimals_never_floats(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = await approved(de_client, ana, bogdan, total=100.10,
                                vat_lines=[{"rate": 21, "base": 82.73, "vat": 17.37}])
    service = de_app.extensions["roa2web"].data_entry
    receipt = await service.receipts.get(service_principal(), receipt_id)
    rates = {receipt.fields.receipt_date: RATE}
    amounts = [row[8] for row in entry_rows([receipt], vat_payer=True, eur_rates=rates)]
    assert amounts == [Decimal("82.73"), Decimal("17.37")]
    assert all(isinstance(a, Decimal) and a.as_tuple().exponent == -2 for a in amounts)
    assert ron(10) == Decimal("0.10") and str(ron(10)) == "0.10"

    status = await run_export(de_client, bogdan, DECEMBER)
    csv_text = (await (await de_client.get(status["downloads"]["csv"], headers=bogdan)).get_data()).decode()
    assert [row[8] for row in csv.reader(io.StringIO(csv_text))][1:] == ["82.73", "17.37"]
    xlsx = await de_client.get(status["downloads"]["xlsx"], headers=bogdan)
    sheet = load_workbook(io.BytesIO(await xlsx.get_data())).active
    cells = [row[8] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.data_type, cell.number_format) for cell in cells] == [("n", "0.00")] * 2
    assert [Decimal(str(cell.value)) for cell in cells] == [Decimal("82.73"), Decimal("17.37")]


def service_principal():
    return Principal("u-bogdan", "bogdan", "Bogdan", frozenset({"approver"}), None)


async def test_supplier_names_and_numbers_never_become_formulas_in_the_files(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = await approved(de_client, ana, bogdan, supplier_name='=HYPERLINK("http://x","y")',
                                document_number="@SUM(1+1)", notes="-2+3")
    status = await run_export(de_client, bogdan, DECEMBER)
    assert status["state"] == "done", status

    csv_response = await de_client.get(status["downloads"]["csv"], headers=bogdan)
    rows = list(csv.reader(io.StringIO((await csv_response.get_data()).decode("utf-8"))))
    lines = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert {(x["ID bon"], x["Furnizor"], x["Număr bon"]) for x in lines} == {
        (receipt_id, '\'=HYPERLINK("http://x","y")', "'@SUM(1+1)")}
    assert [Decimal(x["Sumă"]) for x in lines] == [Decimal("300.00"), Decimal("63.00"), Decimal("10.00"),
                                                   Decimal("1.10")]
    assert not [field for row in rows for field in row if field[:1] in ("=", "+", "-", "@", "\t", "\r")]

    xlsx = await de_client.get(status["downloads"]["xlsx"], headers=bogdan)
    sheet = load_workbook(io.BytesIO(await xlsx.get_data())).active
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) == 4
    columns = {name: index for index, name in enumerate(HEADER)}
    for row in body:
        supplier, number, amount = row[columns["Furnizor"]], row[columns["Număr bon"]], row[columns["Sumă"]]
        assert (supplier.data_type, supplier.value) == ("s", '\'=HYPERLINK("http://x","y")')
        assert (number.data_type, number.value) == ("s", "'@SUM(1+1)")
        assert amount.data_type == "n" and amount.value > 0
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
