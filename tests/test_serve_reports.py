"""A cached report through the real server: Hypercorn and h11 carry the route's replies, 304 included."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_serve import free_port, wait_ready

PASSWORD = "parola-serve-123"
TRIAL_BALANCE = "/api/reports/trial-balance?company_id=1&year=2025&month_from=1&month_to=11&level=analytic"


def request(port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_cached_report_over_http_miss_hit_and_304(tmp_path: Path, demo_ledger_path: Path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("ORACLE_")}
    env.update(DATA_DIR=str(tmp_path / "data"), LEDGER_PATH=str(demo_ledger_path), PORT=str(port),
               ROA2WEB_ENV_FILE=str(tmp_path / "none.env"), OCR_ENABLED="false", LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, "-m", "roa2web", "users", "add", "ana", "--role", "viewer", "--company", "1",
                    "--password-stdin"], input=f"{PASSWORD}\n", text=True, env=env, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        status, _, body = request(port, "POST", "/api/auth/login", {"Content-Type": "application/json"},
                                  json.dumps({"username": "ana", "password": PASSWORD}).encode())
        assert status == 200
        auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}

        miss = request(port, "GET", TRIAL_BALANCE, auth)
        hits = [request(port, "GET", TRIAL_BALANCE, auth) for _ in range(3)]
        assert (miss[0], miss[1]["x-cache"]) == (200, "MISS")
        for status, headers, body in hits:
            assert (status, headers["x-cache"], body) == (200, "HIT-L1", miss[2])
            assert headers["etag"] == miss[1]["etag"] and headers["content-length"] == str(len(body))
            assert headers["content-type"] == "application/json" and headers["cache-control"] == "private"
            assert {"x-request-id", "x-cache-age", "ratelimit-remaining", "x-content-type-options"} <= set(headers)
        assert len({headers["x-request-id"] for _, headers, _ in hits}) == 3

        status, headers, body = request(port, "GET", TRIAL_BALANCE, auth | {"If-None-Match": miss[1]["etag"]})
        assert (status, body, headers["etag"], headers["x-cache"]) == (304, b"", miss[1]["etag"], "HIT-L1")
        assert "content-type" not in headers

        other_company = TRIAL_BALANCE.replace("company_id=1", "company_id=2")
        assert request(port, "GET", other_company, auth)[0] == 403
        status, _, body = request(port, "GET", other_company, auth)  # asked again: the same answer
        assert status == 403 and json.loads(body)["type"].endswith("/company-forbidden")
        status, _, body = request(port, "GET", TRIAL_BALANCE, {"Authorization": "Bearer not.a.token"})
        assert status == 401 and json.loads(body)["type"].endswith("/invalid-token")
    finally:
        process.terminate()
        process.wait(30)
