"""Request bodies are bounded while they stream (issue 11, H1).

The app is called as the server calls it (ASGI), with a body that a generator produces chunk by chunk
and counts as it is taken: a 1 GB chunked body must be refused after at most its route's limit plus one
chunk has been read, whoever sends it, and the refusal is a Romanian 413 problem with the request id.
Form files that do get in spool under DATA_DIR/tmp, never the system's temp dir (watched with an audit
hook on every file the process opens for writing). The real server is in test_body_limits_server.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from quart.datastructures import FileStorage

from roa2web.app import create_app
from tests.conftest import add_user, login
from tests.security.attack_support import new_receipt, outside, written_files
from tests.support.romanian import is_romanian
from tests.support.upload_files import image_bytes

CHUNK = 64 * 1024
GIGABYTE_OF_CHUNKS = 16_384  # x 64 KiB
UPLOAD_LIMIT = 1024 * 1024  # MAX_CONTENT_LENGTH of these tests' apps
BOUNDARY = "granita-roa2web"


class CountedBody:
    """The chunks of a request body, counting how many bytes the app took."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks: Iterator[bytes] = iter(chunks)
        self.taken = 0

    async def receive(self) -> dict[str, Any]:
        chunk = next(self.chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        self.taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}


async def call(app, method: str, path: str, body: CountedBody, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    """One request through the app's ASGI entry point; status, headers and body of its answer."""
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"localhost"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 50_000), "server": ("127.0.0.1", 80), "extensions": {},
    }
    await app(scope, body.receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    answer = {name.decode(): value.decode() for name, value in start["headers"]}
    return start["status"], answer, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def multipart_head(name: str = "bon.jpg") -> bytes:
    """The start of a multipart body with one file part (its content follows)."""
    return (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n").encode() + b"\xff\xd8\xff"


def assert_too_large(status: int, headers: dict[str, str], body: bytes) -> None:
    """A 413 problem+json in Romanian, carrying the request id it is sent with, with the usual headers."""
    assert status == 413, body
    assert headers["content-type"] == "application/problem+json"
    problem = orjson.loads(body)
    assert problem["status"] == 413 and problem["type"].endswith("/content-too-large")
    assert is_romanian(problem["title"]) and is_romanian(problem["detail"]), problem
    assert problem["request_id"] == headers["x-request-id"]
    assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers


async def test_a_chunked_gigabyte_to_login_is_refused_after_the_json_limit(settings):
    app = create_app(settings)
    async with app.test_app():
        body = CountedBody(b"{" * CHUNK for _ in range(GIGABYTE_OF_CHUNKS))
        status, headers, answer = await call(app, "POST", "/api/auth/login", body,
                                             {"Content-Type": "application/json", "X-Request-ID": "atac-1"})
        assert_too_large(status, headers, answer)
        assert headers["x-request-id"] == "atac-1"
        assert body.taken <= settings.max_json_body_bytes + CHUNK  # read no further than the limit
        healthy = await app.test_client().get("/health")
        assert healthy.status_code == 200


async def test_a_declared_oversize_body_is_refused_before_a_byte_is_read(settings):
    app = create_app(settings_with_upload_limit(settings))
    async with app.test_app():
        for path, size in (("/api/auth/login", settings.max_json_body_bytes + 1),
                           ("/api/data-entry/receipts/x/attachments", UPLOAD_LIMIT + 1),
                           ("/health", 10 * 1024 * 1024)):
            body = CountedBody(b"x" * CHUNK for _ in range(GIGABYTE_OF_CHUNKS))
            status, headers, answer = await call(app, "POST", path, body, {"Content-Length": str(size)})
            assert_too_large(status, headers, answer)
            assert body.taken == 0


def settings_with_upload_limit(settings):
    """The same settings with a 1 MiB upload limit."""
    return settings.model_copy(update={"max_content_length": UPLOAD_LIMIT})


async def test_a_viewers_chunked_gigabyte_upload_is_refused_after_the_upload_limit_and_nothing_spools_outside(
    settings,
):
    settings = settings_with_upload_limit(settings)
    app = create_app(settings)
    async with app.test_app():
        client = app.test_client()
        await add_user(app, "operatoare", roles={"operator"})
        await add_user(app, "privitor", roles={"viewer"})
        receipt_id = await new_receipt(client, await login(client, "operatoare"))
        viewer = await login(client, "privitor")
        content = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **viewer}
        # attachments read the form before the domain refuses a viewer: the limit stops it; OCR may check the
        # role first and answer 403 at once (the rest of the body is not read either), or read and hit the limit
        for path, expected in ((f"/api/data-entry/receipts/{receipt_id}/attachments", {413}),
                               ("/api/data-entry/ocr", {403, 413})):
            chunks = [multipart_head(), *(b"\x00" * CHUNK for _ in range(GIGABYTE_OF_CHUNKS))]
            body = CountedBody(chunks)
            with written_files() as opened:
                status, headers, answer = await call(app, "POST", path, body, content)
            assert status in expected, answer
            if status == 413:
                assert_too_large(status, headers, answer)
            else:
                assert headers["content-type"] == "application/problem+json", answer
            assert body.taken <= UPLOAD_LIMIT + CHUNK + len(chunks[0])
            assert outside(opened, settings.data_dir) == []
        assert (await client.get("/health")).status_code == 200


async def test_a_form_file_larger_than_memory_spools_under_the_data_dir(settings):
    app = create_app(settings)
    async with app.test_app():
        client = app.test_client()
        await add_user(app, "operatoare", roles={"operator"})
        headers = await login(client, "operatoare")
        receipt_id = await new_receipt(client, headers)
        photo = image_bytes("PNG", size=(700, 700), compress_level=0)  # ~1.4 MB: spooled to a file, not memory
        assert len(photo) > 600 * 1024
        with written_files() as opened:
            response = await client.post(f"/api/data-entry/receipts/{receipt_id}/attachments", headers=headers,
                                         files={"file": FileStorage(io.BytesIO(photo), filename="bon.png")})
        assert response.status_code == 201, await response.get_data(as_text=True)
        spool = (settings.data_dir / "tmp").resolve()
        assert any(path == spool or path.parent == spool for path in opened), opened
        assert outside(opened, settings.data_dir) == []
