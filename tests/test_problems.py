"""Every Problem renders through the one handler: its class's status, type and title, the instance's detail."""

from __future__ import annotations

import pytest
from quart import Quart

from roa2web.app import create_app
from roa2web.data_entry.errors import Conflict, OcrUnavailable, ValidationFailed
from roa2web.data_entry.errors import NotFound as ReceiptNotFound
from roa2web.jobs.service import JobNotFound, JobStateError, QueueUnavailable
from roa2web.jobs.store import JobState
from roa2web.ledger.base import LedgerError, LedgerUnavailable
from roa2web.problems import FieldError, Problem
from roa2web.reports.errors import ReportParameterError
from roa2web.web.guards import public


def app_raising(settings, error: Exception) -> Quart:
    app = create_app(settings)

    @app.get("/raise")
    @public
    async def raise_it() -> str:
        raise error

    return app


@pytest.mark.parametrize(
    ("error", "status", "kind", "retry_after"),
    [
        (ReceiptNotFound("no receipt r1"), 404, "not-found", None),
        (ValidationFailed([FieldError(("total",), "Trebuie să fie pozitiv", "value_error")]), 400, "validation-error",
         None),
        (OcrUnavailable("OCR is switched off"), 503, "ocr-unavailable", "30"),
        (ReportParameterError("month", "Trebuie să fie o lună între 1 și 12"), 400, "validation-error", None),
        (JobNotFound("j1"), 404, "job-not-found", None),
        (JobStateError("j1", JobState.DONE, "cancel"), 409, "job-state", None),
        (LedgerUnavailable("ledger file /srv/ledger.sqlite does not exist"), 503, "ledger-unavailable", "10"),
        (LedgerError("SELECT failed"), 503, "ledger-error", "10"),
        (QueueUnavailable("redis at 10.0.0.5 refused"), 503, "queue-unavailable", "10"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
async def test_each_problem_class_renders_its_status_type_and_title(settings, error, status, kind, retry_after):
    app = app_raising(settings, error)
    async with app.test_app():
        response = await app.test_client().get("/raise")
    assert isinstance(error, Problem)
    assert response.status_code == status and response.content_type == "application/problem+json"
    body = await response.get_json()
    assert body["type"].endswith(f"/{kind}") and body["status"] == status and body["title"] == error.title
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert response.headers.get("Retry-After") == retry_after
    assert ("errors" in body) is (error.errors is not None)


async def test_a_store_problem_shows_its_public_detail_and_logs_the_message(settings, caplog):
    app = app_raising(settings, LedgerUnavailable("ledger file /srv/ledger.sqlite does not exist"))
    async with app.test_app():
        body = await (await app.test_client().get("/raise")).get_json()
    assert "/srv" not in body["detail"] and body["detail"] == LedgerUnavailable.public_detail
    assert "/srv/ledger.sqlite" in caplog.text


async def test_a_problem_whose_detail_the_client_reads_is_not_logged_as_an_error(settings, caplog):
    app = app_raising(settings, OcrUnavailable("OCR is switched off on this server (OCR_ENABLED=false)"))
    async with app.test_app():
        body = await (await app.test_client().get("/raise")).get_json()
    assert body["detail"] == "OCR is switched off on this server (OCR_ENABLED=false)"
    assert not [record for record in caplog.records if record.name == "roa2web.errors"]


async def test_field_errors_reach_the_client(settings):
    app = app_raising(settings, ReportParameterError("month_to", "Trebuie să fie o lună între 1 și 12 (nu 13)"))
    async with app.test_app():
        body = await (await app.test_client().get("/raise")).get_json()
    assert body["errors"] == [{"loc": ["month_to"], "msg": "Trebuie să fie o lună între 1 și 12 (nu 13)",
                               "type": "value_error"}]
    assert body["detail"] == ("Raportul nu poate fi întocmit: luna de sfârșit — trebuie să fie o lună între 1 și 12 "
                              "(nu 13).")


async def test_an_instance_may_narrow_its_class_kind(settings):
    app = app_raising(settings, Conflict("the receipt changed; reload it", kind="stale-version"))
    async with app.test_app():
        response = await app.test_client().get("/raise")
    body = await response.get_json()
    assert response.status_code == 409 and body["type"].endswith("/stale-version")
    assert body["detail"] == "the receipt changed; reload it"
