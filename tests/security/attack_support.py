"""Shared pieces of the input-attack tests: a user who may call every operation, the operations as the
app's own OpenAPI document lists them, and what every refusal must look like."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from tests.conftest import add_user, login
from tests.support.romanian import is_romanian

ALL_ROLES = {"admin", "operator", "approver", "viewer"}
# a valid value for each parameter or body field an operation requires (demo ledger, company 1)
VALID: dict[str, Any] = {
    "company_id": 1, "year": 2025, "month": 3, "month_from": 1, "month_to": 3, "date_from": "2025-01-01",
    "date_to": "2025-03-31", "as_of": "2025-03-31", "username": "nimeni", "password": "parola",
    "refresh_token": "x" * 40, "reason": "lipsește CIF-ul", "report": "trial_balance",
    "params": {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3},
    "code": "ABCDEFGH", "telegram_user_id": 6000000001, "chat_id": 6000000001,
}
INTERNAL_TOKEN = "token-intern-de-test-0123456789"  # TELEGRAM_INTERNAL_TOKEN of the tests that set it


async def power_user(app: Quart, client: TestClientProtocol) -> dict[str, str]:
    """The Authorization header of a user with every role on every company."""
    await add_user(app, "putere", roles=ALL_ROLES)
    return await login(client, "putere")


async def new_receipt(client: TestClientProtocol, headers: dict[str, str]) -> str:
    """A DRAFT receipt of company 1; its id."""
    response = await client.post("/api/data-entry/receipts", json={"company_id": 1}, headers=headers)
    assert response.status_code == 201, await response.get_data(as_text=True)
    receipt_id: str = (await response.get_json())["id"]
    return receipt_id


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path template, operation) for every operation of the OpenAPI document."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method.upper(), path, operation


def fill_path(template: str, receipt_id: str) -> str:
    """A concrete path: the receipt's id, made-up ids for the rest."""
    return (template.replace("{receipt_id}", receipt_id).replace("{job_id}", "nu-exista")
            .replace("{attachment_id}", "nu-exista").replace("{name}", "nu-exista"))


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def variants(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema itself or, for `anyOf`/`oneOf`, each alternative (refs followed)."""
    schema = resolve(document, schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        return [variant for alternative in alternatives for variant in variants(document, alternative)]
    return [schema]


def json_body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON request body's schema, None when the operation reads no JSON."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return None if schema is None else resolve(document, schema)


async def assert_problem(response: Any, *statuses: int) -> dict[str, Any]:
    """A problem+json in Romanian with one of `statuses`, carrying the response's request id."""
    text = await response.get_data(as_text=True)
    assert response.status_code in statuses, (response.status_code, text)
    assert response.content_type == "application/problem+json", text
    body: dict[str, Any] = await response.get_json()
    assert body["status"] == response.status_code
    assert body["request_id"] and body["request_id"] == response.headers["X-Request-ID"]
    assert is_romanian(body["title"]) and is_romanian(body["detail"]), body
    return body


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing logged at ERROR or above, and no record carries a traceback (a warning line at most)."""
    loud = [(record.name, record.getMessage()) for record in caplog.records
            if record.levelno >= logging.ERROR or record.exc_info]
    assert loud == []


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | getattr(os, "O_TMPFILE", 0)
_watchers: list[list[Path]] = []  # one list per `written_files()` block in progress
_hooked = threading.Event()


@contextmanager
def written_files() -> Iterator[list[Path]]:
    """The paths this process opens for writing meanwhile (Python's `open` audit event: open(), os.open,
    tempfile's O_TMPFILE open, which names the directory). Audit hooks cannot be removed: one is added once."""
    if not _hooked.is_set():
        sys.addaudithook(_record_open)
        _hooked.set()
    paths: list[Path] = []
    _watchers.append(paths)
    try:
        yield paths
    finally:
        _watchers.remove(paths)


def _record_open(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _watchers or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path, mode, flags = args
    by_mode = isinstance(mode, str) and any(letter in mode for letter in "wax+")
    if by_mode or (isinstance(flags, int) and flags & _WRITE_FLAGS):
        for paths in _watchers:
            paths.append(Path(os.fsdecode(path)).resolve())


def outside(paths: list[Path], data_dir: Path) -> list[Path]:
    """The paths not under `data_dir`."""
    root = data_dir.resolve()
    return [path for path in paths if not path.is_relative_to(root)]
