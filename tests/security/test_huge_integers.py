"""Integers wider than 64 bits (issue 11, M7): every integer a request may carry, found from the app's own
OpenAPI document (query parameters, JSON and form fields), is bounded there, and 2**70 in any of them is a
Romanian 400 naming the field, not a 500 from the database driver."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from roa2web.bounds import INT64_MAX, INT64_MIN
from tests.security.attack_support import (
    INTERNAL_TOKEN,
    VALID,
    assert_no_traceback,
    assert_problem,
    fill_path,
    new_receipt,
    operations,
    power_user,
    resolve,
    variants,
)

HUGE = 2**70


@pytest.fixture
def settings(settings_factory):
    """With an internal token, sent with every request: verify-user reads its body only then."""
    return settings_factory(telegram_internal_token=INTERNAL_TOKEN)


def _is_integer(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    return any(variant.get("type") == "integer" for variant in variants(document, schema))


def _bounded(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    for variant in variants(document, schema):
        if variant.get("type") == "integer":
            high = variant.get("maximum", variant.get("exclusiveMaximum"))
            low = variant.get("minimum", variant.get("exclusiveMinimum"))
            if high is None or low is None or high > INT64_MAX or low < INT64_MIN:
                return False
    return True


def _integer_fields(document: dict[str, Any], schema: dict[str, Any], prefix: tuple[str, ...] = ()):
    """(path of names, schema) of every integer property in a body schema, nested objects and arrays included."""
    for variant in variants(document, schema):
        for name, prop in variant.get("properties", {}).items():
            if _is_integer(document, prop):
                yield (*prefix, name), prop
            yield from _integer_fields(document, prop, (*prefix, name))
        if "items" in variant:
            yield from _integer_fields(document, variant["items"], (*prefix, "0"))


def _integer_inputs(document: dict[str, Any]):
    """(method, path, where, field path, schema) for every integer a request may carry."""
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and _is_integer(document, parameter["schema"]):
                yield method, path, "query", (parameter["name"],), parameter["schema"]
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            for field, schema in _integer_fields(document, resolve(document, content["schema"])):
                yield method, path, media, field, schema


async def test_every_integer_input_is_bounded_to_64_bits_in_the_openapi_document(client):
    document = await (await client.get("/openapi.json")).get_json()
    inputs = list(_integer_inputs(document))
    assert len(inputs) >= 15  # company ids on every report and list, partner ids, versions, limits, months...
    unbounded = [(method, path, where, field) for method, path, where, field, schema in inputs
                 if not _bounded(document, schema)]
    assert unbounded == []


def _with(value: dict[str, Any], field: tuple[str, ...], huge: int) -> dict[str, Any]:
    if len(field) == 1:
        return {**value, field[0]: huge}
    inner = value.get(field[0]) or ([{}] if field[1] == "0" else {})
    if isinstance(inner, list):
        return {**value, field[0]: [_with(inner[0], field[2:], huge)] if field[2:] else [huge]}
    return {**value, field[0]: _with(inner, field[1:], huge)}


async def test_a_huge_integer_in_any_query_or_json_field_is_a_400_naming_it(app, client, caplog):
    headers = {**await power_user(app, client), "X-Internal-Token": INTERNAL_TOKEN}
    receipt_id = await new_receipt(client, headers)
    document = await (await client.get("/openapi.json")).get_json()
    caplog.clear()
    caplog.set_level(logging.WARNING)
    tried = []
    for method, path, where, field, _schema in _integer_inputs(document):
        operation = document["paths"][path][method.lower()]
        url = fill_path(path, receipt_id)
        if where == "query":
            names = {parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query"}
            query = {name: value for name, value in VALID.items() if name in names} | {field[0]: HUGE}
            response = await client.open(url, method=method, query_string=query, headers=headers)
        elif where == "application/json":
            schema = resolve(document, operation["requestBody"]["content"][where]["schema"])
            body = {name: VALID[name] for name in schema.get("required", [])}
            response = await client.open(url, method=method, json=_with(body, field, HUGE), headers=headers)
        else:  # a form's integer (OCR's company id) is covered by the bounds test and the OCR upload below
            continue
        problem = await assert_problem(response, 400)
        named = [error for error in problem.get("errors", []) if field[-1] in error["loc"]]
        assert named, (method, path, field, problem)
        tried.append((method, path, field))
    assert len(tried) >= 15
    assert_no_traceback(caplog)


async def test_a_huge_company_id_inside_a_report_exports_parameters_is_a_400(app, client, caplog):
    headers = await power_user(app, client)
    caplog.set_level(logging.WARNING)
    for name in ("company_id", "year", "month_from"):
        params = {**VALID["params"], name: HUGE}
        response = await client.post("/api/reports/exports", headers=headers,
                                     json={"report": "trial_balance", "params": params})
        await assert_problem(response, 400)
    response = await client.get("/api/reports/invoices", headers=headers, query_string={"company_id": 1,
                                                                                       "partner_id": -HUGE})
    await assert_problem(response, 400)
    assert_no_traceback(caplog)
