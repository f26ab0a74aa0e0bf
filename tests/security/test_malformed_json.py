"""Malformed JSON bodies (issue 11, M7): bytes that are not UTF-8, nesting deeper than the parser's stack,
wrong types. Each operation that reads JSON, found from the app's own OpenAPI document, answers a Romanian
400 problem, logs no traceback and stays healthy."""

from __future__ import annotations

import logging

import pytest

from tests.security.attack_support import (
    assert_no_traceback,
    assert_problem,
    fill_path,
    json_body_schema,
    new_receipt,
    operations,
    power_user,
)

NOT_UTF8 = b'{"username": "\xff\xfe", "comment": "\xc3\x28", "company_id": 1}'
DEEP = b"[" * 100_000
# refused with a 403 before the body is read, a user's token or not, without X-Internal-Token
# (tests/telegram/test_http.py sends it there, with these bodies)
INTERNAL_TOKEN_ROUTES = {"/api/telegram/auth/verify-user"}


async def _json_operations(client):
    document = await (await client.get("/openapi.json")).get_json()
    found = [(method, path) for method, path, operation in operations(document)
             if json_body_schema(document, operation) is not None]
    assert len(found) >= 10  # login, refresh, logout, receipts, actions, exports, cache...
    return found


@pytest.mark.parametrize("body", [NOT_UTF8, DEEP], ids=["not-utf8", "deep-nesting"])
async def test_every_json_operation_refuses_an_unreadable_body_with_a_400(app, client, caplog, body):
    headers = await power_user(app, client)
    receipt_id = await new_receipt(client, headers)
    caplog.clear()
    caplog.set_level(logging.WARNING)
    for method, path in await _json_operations(client):
        for who in (headers, {}):  # logged in, and anyone (login and refresh are public)
            response = await client.open(fill_path(path, receipt_id), method=method, data=body,
                                         headers={**who, "Content-Type": "application/json"})
            if response.status_code in {401, 403}:  # refused before the body is read: nothing to parse
                assert not who or path in INTERNAL_TOKEN_ROUTES
                continue
            problem = await assert_problem(response, 400)
            assert problem["type"].endswith("/invalid-json"), (method, path, problem)
    assert_no_traceback(caplog)
    assert (await client.get("/health")).status_code == 200


@pytest.mark.parametrize("body", [
    b'{"username": 12, "password": ["x"]}', b"[1, 2, 3]", b'"text"', b"null", b"{", b"{}" + b" " * 10 + b"}",
])
async def test_login_with_a_body_of_the_wrong_shape_is_a_400(client, caplog, body):
    caplog.set_level(logging.WARNING)
    response = await client.post("/api/auth/login", data=body, headers={"Content-Type": "application/json"})
    await assert_problem(response, 400)
    assert_no_traceback(caplog)


async def test_a_receipt_with_fields_of_the_wrong_type_is_a_400_naming_them(app, client, caplog):
    headers = await power_user(app, client)
    caplog.set_level(logging.WARNING)
    response = await client.post("/api/data-entry/receipts", headers=headers, json={
        "company_id": "unu", "total": {"lei": 3}, "vat_lines": "21%", "receipt_date": 0.5, "deductible": "poate",
    })
    problem = await assert_problem(response, 400)
    assert {error["loc"][0] for error in problem["errors"]} >= {"company_id", "total", "vat_lines", "receipt_date",
                                                                "deductible"}
    assert_no_traceback(caplog)
