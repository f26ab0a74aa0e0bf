"""/openapi.json tells the truth about query parameters: what it marks required is what the server refuses
to go without, and enums and formats are there wherever the query models declare them."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any

import pytest
from quart_schema.validation import QUART_SCHEMA_QUERYSTRING_ATTRIBUTE

from tests.blueprints.data_entry.test_receipt_exports_api import DECEMBER, approved, run_export
from tests.conftest import add_user, login


def _query_parameters(spec: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """{path: {name: parameter}} of every GET operation with query parameters."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            query = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
            if query:
                assert method == "get", (method, path)  # only GETs take query models today
                found[path] = query
    return found


async def _valid_queries(
    app: Any, client: Any, as_user: Any
) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    """({spec path: (URL, a valid value for every query parameter)}, an admin's headers).

    The values are real: the demo ledger's, and two receipts entered, approved and exported here.
    """
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    await add_user(app, "root", roles={"admin"})
    admin = await login(client, "root")
    for _ in range(2):
        await approved(client, ana, bogdan)
    export = await run_export(client, bogdan, DECEMBER)
    assert export["state"] == "done", export

    receipts = await (await client.get("/api/data-entry/receipts", query_string={"company_id": 2, "limit": 1},
                                       headers=admin)).get_json()
    first_page = await (await client.get("/api/reports/invoices", query_string={
        "company_id": 1, "status": "all", "as_of": "2025-12-31", "limit": 1}, headers=admin)).get_json()
    assert receipts["next_cursor"] and first_page["next_cursor"]
    creator = receipts["items"][0]["created_by"]
    partner_id = first_page["items"][0]["partner"]["id"]
    download = f"/api/data-entry/exports/{export['job_id']}/download"
    queries = {
        "/api/calendar": ("/api/calendar", {"company_id": "1"}),
        "/api/data-entry/exports/{job_id}/download": (download, {"format": "csv"}),
        "/api/data-entry/nomenclature/accounts": (
            "/api/data-entry/nomenclature/accounts", {"company_id": "2", "q": "60", "limit": "5"}),
        "/api/data-entry/nomenclature/partners": (
            "/api/data-entry/nomenclature/partners", {"company_id": "2", "q": "A", "limit": "5"}),
        "/api/data-entry/nomenclature/vat-rates": ("/api/data-entry/nomenclature/vat-rates", {"date": "2025-12-15"}),
        "/api/data-entry/receipts": ("/api/data-entry/receipts", {
            "company_id": "2", "state": "EXPORTED", "date_from": "2025-12-01", "date_to": "2025-12-31",
            "supplier": "ALFA", "created_by": str(creator), "cursor": receipts["next_cursor"], "limit": "1"}),
        "/api/reports/dashboard": ("/api/reports/dashboard", {"company_id": "1", "year": "2025", "month": "3"}),
        "/api/reports/invoices": ("/api/reports/invoices", {
            "company_id": "1", "kind": "sales", "status": "all", "partner_id": str(partner_id),
            "date_from": "2025-01-01", "date_to": "2025-12-31", "as_of": "2025-12-31", "limit": "1",
            "cursor": first_page["next_cursor"]}),
        "/api/reports/invoices/aging": ("/api/reports/invoices/aging", {
            "company_id": "1", "kind": "purchases", "as_of": "2025-06-30", "basis": "issue_date"}),
        "/api/reports/treasury": ("/api/reports/treasury", {
            "company_id": "1", "date_from": "2025-01-01", "date_to": "2025-03-31"}),
        "/api/tasks/mine": ("/api/tasks/mine", {"state": "done", "limit": "5"}),
        "/api/reports/trial-balance": ("/api/reports/trial-balance", {
            "company_id": "1", "year": "2025", "month_from": "1", "month_to": "3", "level": "analytic",
            "account_prefix": "4", "hide_zero": "true"}),
    }
    return queries, admin


@pytest.mark.parametrize("data_entry_db_url", [None])  # the contract, not the engine: SQLite is enough
async def test_required_in_the_schema_is_exactly_what_the_server_refuses_to_miss(de_app, de_client, as_user):
    spec = await (await de_client.get("/openapi.json")).get_json()
    documented = _query_parameters(spec)
    queries, admin = await _valid_queries(de_app, de_client, as_user)
    assert {path: set(params) for path, (_, params) in queries.items()} == {
        path: set(params) for path, params in documented.items()}  # a new query parameter needs a value here

    marked_required = {(path, name) for path, params in documented.items()
                       for name, parameter in params.items() if parameter.get("required")}
    refused = set()
    for path, (url, params) in queries.items():
        complete = await de_client.get(url, query_string=params, headers=admin)
        assert complete.status_code == 200, (path, await complete.get_data(as_text=True))
        for name in params:
            response = await de_client.get(url, query_string={k: v for k, v in params.items() if k != name},
                                            headers=admin)
            assert response.status_code in {200, 400}, (path, name, response.status_code)
            if response.status_code == 400:
                refused.add((path, name))
                body = await response.get_json()
                assert [error["loc"] for error in body["errors"]] == [[name]]
    assert marked_required == refused
    assert len(marked_required) >= 16  # company_id of every report, their dates and months, ...


def _unwrap(annotation: Any) -> Any:
    """The annotation without `| None` and without `Annotated` metadata (IsoDate is a date)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _resolved(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of a parameter schema, following a $ref into components."""
    if "anyOf" in schema:
        (schema,) = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


async def test_enums_and_date_formats_of_the_query_models_are_in_the_schema(app, client):
    spec = await (await client.get("/openapi.json")).get_json()
    documented = _query_parameters(spec)
    checked = 0
    for rule in app.url_map.iter_rules():
        model = getattr(app.view_functions[rule.endpoint], QUART_SCHEMA_QUERYSTRING_ATTRIBUTE, None)
        if model is None:
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for name, field in model.model_fields.items():
            schema = _resolved(spec, documented[path][name]["schema"])
            annotation = _unwrap(field.annotation)
            if typing.get_origin(annotation) is typing.Literal:
                assert schema["enum"] == list(typing.get_args(annotation)), (path, name)
            elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
                assert schema["enum"] == [member.value for member in annotation], (path, name)
            elif annotation is dt.date:
                assert schema["format"] == "date", (path, name)
            else:
                continue
            checked += 1
    assert checked >= 15
