"""A loopback HTTP server standing in for the bank: it serves the recorded feed, a 500, garbage, or nothing in time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.rates import DAILY


@dataclass
class FeedServer:
    """Where the server listens and what it was asked."""

    port: int
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)  # ends a /slow answer

    def url(self, path: str = "/nbrfxrates.xml") -> str:
        """The address of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append(self.path)
            if self.path == "/slow":
                server.release.wait(60)  # longer than the client's timeout: it gives up first
                return
            if self.path == "/error":
                self._answer(500, b"Internal Server Error", "text/plain")
            elif self.path == "/garbage":
                self._answer(200, b"<html><body>Site under maintenance</body></html>", "text/html")
            elif self.path == "/nbrfxrates.xml":
                self._answer(200, DAILY.read_bytes(), "text/xml")
            else:
                self._answer(404, b"not found", "text/plain")

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """The server, running on a thread on 127.0.0.1 (a free port) until the block ends."""
    state = FeedServer(0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="feed-server", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)
