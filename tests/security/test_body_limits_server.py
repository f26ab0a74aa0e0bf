"""The real server stops reading a chunked body past its limit (issue 11, H1), as the attack run saw it:
`roa2web serve`, raw sockets sending chunks of a half-gigabyte body to the public login, three at once.

Proof by bytes, not time: each client sends until the server answers and closes, so what it managed to
send bounds what the server read (plus the kernel's socket buffers); the server's RSS, read before and
after, does not grow with the body.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.test_serve import free_port, wait_ready

CHUNK = 64 * 1024
ATTEMPT = 512 * 1024 * 1024  # what each client tries to send
SENT_BOUND = 64 * 1024 * 1024  # the JSON limit (256 kB) plus socket buffers, with a wide margin
RSS_BOUND = 150 * 1024 * 1024  # three bodies of 512 MB held whole would be 1.5 GB


@dataclass
class Outcome:
    """What one client managed to send and what it read back."""

    sent: int
    answer: bytes


def send_chunked(port: int, path: str, headers: dict[str, str], *, declared: bool = False) -> Outcome:
    """POST a body of up to ATTEMPT bytes, chunked or with its length `declared`, reading the answer meanwhile;
    stop when the server closes the connection."""
    answer = bytearray()
    closed = threading.Event()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as connection:

        def read() -> None:
            try:
                while data := connection.recv(65536):
                    answer.extend(data)
            except OSError:
                pass
            closed.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        framing = f"Content-Length: {ATTEMPT}" if declared else "Transfer-Encoding: chunked"
        connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{framing}\r\n{head}\r\n".encode())
        frame = b"[" * CHUNK if declared else f"{CHUNK:x}\r\n".encode() + b"[" * CHUNK + b"\r\n"
        sent = 0
        try:
            while sent < ATTEMPT and not closed.is_set():
                connection.sendall(frame)
                sent += CHUNK
            connection.sendall(b"" if declared else b"0\r\n\r\n")
        except OSError:  # the server closed the connection: it reads no more
            pass
        assert closed.wait(120), "the server neither answered nor closed the connection"
        reader.join(120)
    return Outcome(sent, bytes(answer))


def post_then_get(port: int, path: str, headers: dict[str, str], size: int) -> tuple[int, int]:
    """POST a whole `size`-byte body, then GET /health on the same connection: both statuses.

    The second answer proves the server read the first body to its end and kept the connection: one closed
    with unread bytes is reset, and a proxy still sending the body loses the answer (a 502 behind IIS).
    """
    with socket.create_connection(("127.0.0.1", port), timeout=120) as connection:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        connection.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {size}\r\n{head}\r\n"
                           .encode() + b"[" * size)
        first = http.client.HTTPResponse(connection)
        first.begin()
        first.read()
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        second = http.client.HTTPResponse(connection)
        second.begin()
        second.read()
        return first.status, second.status


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RSS and socket behaviour measured on Linux")
def test_the_server_reads_no_more_than_the_limit_of_oversize_bodies(tmp_path: Path, demo_ledger_path: Path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("ORACLE_")}
    env.update(DATA_DIR=str(tmp_path / "data"), LEDGER_PATH=str(demo_ledger_path), PORT=str(port),
               ROA2WEB_ENV_FILE=str(tmp_path / "none.env"), OCR_ENABLED="false", LOG_FORMAT="json")
    process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_ready(port)
        server = psutil.Process(process.pid)
        rss_before = server.memory_info().rss
        headers = {"Content-Type": "application/json"}
        with ThreadPoolExecutor(3) as pool:  # three at once to the public login, as the attack run did
            outcomes = list(pool.map(lambda i: send_chunked(port, "/api/auth/login",
                                                            {**headers, "X-Request-ID": f"atac-{i}"}), range(3)))
        form = {"Content-Type": "multipart/form-data; boundary=b", "X-Request-ID": "atac-form"}
        upload = "/api/data-entry/receipts/oricare/attachments"
        declared = send_chunked(port, upload, form, declared=True)  # refused before a byte is read
        anonymous = send_chunked(port, upload, form)  # the app answers 401 first; the body is read up to the limit
        within = post_then_get(port, upload, form, 5 * 1024 * 1024)  # answered 401 unread, then read to its end
        rss_after = server.memory_info().rss
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as response:
            assert response.status == 200
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=60)
    for i, outcome in enumerate(outcomes):
        head, _, body = outcome.answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), outcome.answer[:300]
        assert b"content-type: application/problem+json" in head.lower()
        problem = json.loads(body)
        assert problem["status"] == 413 and problem["request_id"] == f"atac-{i}"
        assert outcome.sent < SENT_BOUND, outcome.sent
    assert declared.answer.startswith(b"HTTP/1.1 413") and declared.sent < SENT_BOUND, declared
    assert anonymous.answer.startswith(b"HTTP/1.1 401") and anonymous.sent < SENT_BOUND, anonymous
    assert within == (401, 200)
    assert rss_after - rss_before < RSS_BOUND, (rss_before, rss_after)
    assert "Traceback" not in stderr
