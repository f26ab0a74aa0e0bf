"""schemathesis against a real `roa2web serve`'s own /openapi.json: every operation, logged in, bounded.

The attack run's fuzzing, kept: no input gives a 5xx, every 4xx/5xx is problem+json carrying the
request id of its X-Request-ID header, and every reply matches what the document promises (status,
content type, body schema). The server is a real process on a free loopback port (Hypercorn, the
real request path); a failure quotes the server's log lines of that request id, traceback included.

The inputs are seeded (reproducible in CI). To look further, change the seed or the budget:
`ROA2WEB_FUZZ_SEED=7 ROA2WEB_FUZZ_EXAMPLES=200 pytest tests/security/test_fuzz_openapi.py`.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from roa2web.app import create_app
from roa2web.settings import load_settings
from tests.jobs.server_process import free_port, process_env, start, wait_ready

SEED = int(os.environ.get("ROA2WEB_FUZZ_SEED", "20261205"))
MAX_EXAMPLES = int(os.environ.get("ROA2WEB_FUZZ_EXAMPLES", "10"))
PROBLEM_JSON = "application/problem+json"
OCR_OFF = "https://roa2web.local/problems/ocr-unavailable"
PASSWORD = "parola-fuzz-123"
USERS = {"admin": ["--role", "admin"], "viewer": ["--role", "viewer", "--company", "all"]}


@dataclass(frozen=True)
class FuzzServer:
    """A running server: its base URL, its log, and a bearer header per user."""

    base_url: str
    log: Path
    headers: dict[str, dict[str, str]]


def _add_users(env: dict[str, str]) -> None:
    for name, options in USERS.items():
        subprocess.run([sys.executable, "-m", "roa2web", "users", "add", name, *options, "--password-stdin"],
                       input=PASSWORD + "\n", env=env, text=True, capture_output=True, timeout=120, check=True)


def _login(base_url: str, username: str) -> dict[str, str]:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base_url}/api/auth/login", data=body, method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http on 127.0.0.1
        token = json.load(response)["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory, demo_ledger_path: Path) -> Iterator[FuzzServer]:
    """`roa2web serve` on a fresh data dir with an admin and a viewer (per-user limit high: the fuzzer is fast)."""
    tmp_path = tmp_path_factory.mktemp("fuzz")
    port = free_port()
    env = process_env(tmp_path / "data", demo_ledger_path, PORT=str(port), QUEUE_HANDLER_MODULES="",
                      RATE_LIMIT_PER_USER_PER_MINUTE="1000000", LOGIN_RATE_LIMIT="1000000")
    _add_users(env)
    log = tmp_path / "server.log"
    process = start(["serve"], env, log)
    try:
        wait_ready(port, process, timeout_s=120)
        base_url = f"http://127.0.0.1:{port}"
        yield FuzzServer(base_url, log, {name: _login(base_url, name) for name in USERS})
    finally:
        process.terminate()
        process.wait(60)


def _app_spec() -> dict[str, Any]:
    """The app's OpenAPI document, built in-process at collection (no startup: nothing is opened).

    schemathesis parametrizes at import, before any server runs (its fixture-based loader does not
    work with pytest 9.2's node ids); `test_the_server_serves_the_document_fuzzed` checks that the
    served /openapi.json is this very document.
    """
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(load_settings(data_dir=Path(data_dir), ocr_enabled=False, queue_handler_modules=[]))
        return dict(app.extensions["QUART_SCHEMA"].openapi_provider.schema())


def _config(max_examples: int, *, coverage: bool) -> schemathesis.Config:
    """Seeded, bounded generation of positive and negative data: explicit examples, fuzzing, and with
    `coverage` schemathesis' boundary and wrong-type cases for every parameter (most of the run's time)."""
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"max-examples": max_examples, "database": "none", "with-security-parameters": False},
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
        "request-timeout": 60,
    })


SPEC = _app_spec()


def _documented_media(case: Case, status: int) -> set[str]:
    """The media types the document gives this operation's reply of `status`."""
    operation = SPEC["paths"][case.operation.path][case.method.lower()]
    return set(operation["responses"].get(str(status), {}).get("content", {}))


def _is_own_report(case: Case, response: Response) -> bool:
    """A 503 the document describes as the operation's own JSON report, not a problem (/health, /ready).

    Their 503 says a part did not answer within the health budget, which a busy machine can cause:
    a state, not an answer to the input.
    """
    return response.status_code == 503 and _documented_media(case, 503) == {"application/json"}


def problem_json_with_request_id(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx/5xx is application/problem+json whose `request_id` is the reply's X-Request-ID."""
    if response.status_code < 400 or _is_own_report(case, response):
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, f"{response.status_code} sent as {content_type!r}"
    request_ids = response.headers.get("x-request-id") or []
    assert len(request_ids) == 1 and request_ids[0], f"{response.status_code} without one X-Request-ID"
    body = response.json()
    assert isinstance(body, dict) and body.get("status") == response.status_code, body
    assert body.get("request_id") == request_ids[0], (body, request_ids)
    assert all(isinstance(body.get(field), str) and body[field] for field in ("type", "title", "detail")), body
    return None


def no_server_error(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """schemathesis' not_a_server_error, but for two documented 503s that are states, not failures.

    OCR is off on this server (its 503 problem says so), and /health and /ready report a slow part.
    """
    if _is_own_report(case, response):
        return None
    if response.status_code == 503 and response.json().get("type") == OCR_OFF:
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [no_server_error, problem_json_with_request_id, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
admin_schema = schemathesis.openapi.from_dict(copy.deepcopy(SPEC), config=_config(MAX_EXAMPLES, coverage=True))
viewer_schema = schemathesis.openapi.from_dict(copy.deepcopy(SPEC),
                                               config=_config(max(MAX_EXAMPLES // 3, 1), coverage=False))


def _call(case: Case, server: FuzzServer, user: str) -> None:
    """One generated request as `user`, every check on its reply; a failure quotes the server's log."""
    response = case.call(base_url=server.base_url, headers=server.headers[user])
    try:
        case.validate_response(response, checks=CHECKS, headers=server.headers[user])
    except BaseException as failure:
        request_id = (response.headers.get("x-request-id") or [""])[0]
        raise AssertionError(f"{failure}\n{_server_lines(server.log, request_id)}") from None


def _server_lines(log: Path, request_id: str) -> str:
    """What the server logged for one request (a 500's traceback), to say what a failing input did."""
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if request_id and f'"request_id":"{request_id}"' in line.replace(" ", "")]
    return f"server log of request {request_id}:\n" + "\n".join(lines[-5:]) if lines else ""


@pytest.mark.slow
@admin_schema.parametrize()
def test_no_input_breaks_an_operation_as_admin(case: Case, fuzz_server: FuzzServer) -> None:
    _call(case, fuzz_server, "admin")


@pytest.mark.slow
@viewer_schema.parametrize()
def test_no_input_breaks_an_operation_as_viewer(case: Case, fuzz_server: FuzzServer) -> None:
    """A viewer meets the 403s of writes and of admin routes: problems too, documented, with the request id."""
    _call(case, fuzz_server, "viewer")


def test_the_server_serves_the_document_fuzzed(fuzz_server: FuzzServer) -> None:
    with urllib.request.urlopen(f"{fuzz_server.base_url}/openapi.json", timeout=30) as response:  # noqa: S310
        served = json.load(response)
    assert served == SPEC
    operations = [method for item in served["paths"].values() for method in item if method != "parameters"]
    assert len(operations) >= 45
