"""Check a server started from the base install (no extras): run by scripts/check_no_extras.sh.

Usage: check_no_extras.py BASE_URL USERNAME PASSWORD. Only the standard library and Pillow (a base
requirement) are used. Checks that the extras really are absent, that /health is "degraded" (not
"down") with the OCR part saying the `ocr` extra is missing, that a login works, and that an OCR
upload gets a 503 problem+json that says so, without creating a draft. Exits 1 on the first failure.
"""

from __future__ import annotations

import io
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from importlib.util import find_spec
from typing import Any

from PIL import Image

EXTRA_MODULES = ("numpy", "cv2", "onnxruntime", "rapidocr", "pillow_heif", "redis", "psycopg", "oracledb",
                 "telegram")
COMPANY_ID = 2


class CheckFailed(Exception):
    """One expectation about the server did not hold."""


def request(url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case) and body of one HTTP request (error statuses included)."""
    call = urllib.request.Request(url, data=body, headers=headers or {}, method=method)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(call, timeout=10) as response:  # noqa: S310 - a local test server
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def expect(condition: bool, message: str, detail: object = "") -> None:
    """Raise CheckFailed with `message` (and `detail`) unless `condition`."""
    if not condition:
        raise CheckFailed(f"{message}: {detail}" if detail != "" else message)


def wait_ready(base: str, timeout_s: float = 60.0) -> None:
    """Poll /ready until it says 200, or fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if request(f"{base}/ready")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise CheckFailed(f"the server did not get ready within {timeout_s:.0f} s")


def check_health(base: str, token: str) -> None:
    """Degraded, not down; OCR unavailable and the bot disabled, naming their extras (figures: for an admin)."""
    status, _, body = request(f"{base}/health")
    public = json.loads(body)
    expect(status == 200 and public["status"] == "degraded", "/health should be 200 and degraded", public)
    expect(public["modules"].get("ocr") == {"status": "down"}, "without a token, only OCR's status", public)
    status, _, body = request(f"{base}/health", headers={"Authorization": f"Bearer {token}"})
    health = json.loads(body)
    ocr = health["modules"].get("ocr", {})
    expect(ocr.get("state") == "unavailable" and ocr.get("status") == "down", "OCR should be unavailable", ocr)
    expect("`ocr` extra" in (ocr.get("error") or ""), "OCR should say the `ocr` extra is missing", ocr)
    telegram = health["modules"].get("telegram", {})
    expect(telegram.get("status") == "disabled" and "`telegram` extra" in (telegram.get("reason") or ""),
           "the bot should be disabled, naming the `telegram` extra", telegram)
    others = {name: part["status"] for name, part in health["modules"].items() if name not in ("ocr", "telegram")}
    expect(all(value == "ok" for value in others.values()), "every other part should be ok", others)


def login(base: str, username: str, password: str) -> str:
    """The access token of a login."""
    status, _, body = request(f"{base}/api/auth/login", body=json.dumps(
        {"username": username, "password": password}).encode(), headers={"Content-Type": "application/json"})
    expect(status == 200, "the login should succeed", body[:300])
    token: str = json.loads(body)["access_token"]
    return token


def png() -> bytes:
    """A small white PNG, made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (file_name, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def check_ocr_upload(base: str, token: str) -> None:
    """503 problem+json of type ocr-extra-missing, in Romanian for people, and no draft receipt left behind.

    The detail sends the admin to /health, whose OCR part (for an admin) names the `ocr` extra.
    """
    auth = {"Authorization": f"Bearer {token}"}
    body, content_type = multipart({"company_id": str(COMPANY_ID)}, {"photo": ("receipt.png", png(), "image/png")})
    status, headers, answer = request(f"{base}/api/data-entry/ocr", body=body,
                                      headers={**auth, "Content-Type": content_type})
    expect(status == 503, "an OCR upload should be refused with 503", answer[:300])
    expect(headers.get("content-type", "").startswith("application/problem+json"), "as problem+json", headers)
    problem: dict[str, Any] = json.loads(answer)
    expect(problem["type"].endswith("/ocr-extra-missing"), "with the ocr-extra-missing type", problem)
    expect("OCR" in problem["detail"] and "/health" in problem["detail"] and "extra" not in problem["detail"],
           "whose Romanian detail points to /health (the extra's name is for the admin, there)", problem)
    status, _, listing = request(f"{base}/api/data-entry/receipts?company_id={COMPANY_ID}", headers=auth)
    expect(status == 200 and json.loads(listing)["items"] == [], "no draft receipt should be created", listing[:300])


def main(argv: list[str]) -> int:
    """Run every check against the server at argv[1]; 0 when all hold."""
    base, username, password = argv[1:4]
    try:
        present = [name for name in EXTRA_MODULES if find_spec(name) is not None]
        expect(not present, "this venv should have no extras installed", present)
        wait_ready(base)
        token = login(base, username, password)
        check_health(base, token)
        check_ocr_upload(base, token)
    except CheckFailed as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        return 1
    print("OK   no extras: /health degraded (OCR: the `ocr` extra is missing), login, OCR upload 503")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
