"""An ASGI layer that bounds every request body while it streams: past its route's limit, a 413.

Quart checks MAX_CONTENT_LENGTH only against a declared Content-Length, and it queues whatever
the server receives for a request, read by the view or not: a chunked body (no length) of 1 GB
was held whole in memory before anything refused it. This layer sits between the server and
the app and counts the bytes of each `http.request` message. A declared length above the
route's limit is refused before a byte is read; once a streamed body passes it, the layer stops
receiving (the server then stops reading the socket and closes the connection), tells the app
the client is gone, and, if the app has not begun its answer, answers a 413 problem+json itself:
the Romanian title and detail of `PayloadTooLarge`, the request id (the client's X-Request-ID
when safe, as the app's own hook takes it) and the headers every response gets.

A body of declared length within the limit that the app answers without reading (a 401 to an upload
without a session) is read to its end before the answer's last part goes out, for at most DRAIN_TIMEOUT_S:
the server closes a connection whose request body is unread once the answer ends, the unread bytes reset
it, and a proxy (IIS, nginx: they send the length) still sending the body loses the answer and shows a 502.
A chunked body is not waited for: it may be endless, and past the limit the app is told the client left.

Each route's limit (`RouteBodyLimits`): the upload limit (MAX_CONTENT_LENGTH) for a view that
declares a form body (quart-schema's `validate_request(..., source=FORM_MULTIPART)`), the small
JSON limit (MAX_JSON_BODY_BYTES) for every other route, unknown paths included.
"""

from __future__ import annotations

import asyncio
import logging

import orjson
from hypercorn.typing import (
    ASGIFramework,
    ASGIReceiveCallable,
    ASGIReceiveEvent,
    ASGISendCallable,
    ASGISendEvent,
    HTTPScope,
    Scope,
)
from quart import Quart
from quart_schema import DataSource
from quart_schema.validation import QUART_SCHEMA_REQUEST_ATTRIBUTE
from werkzeug.exceptions import HTTPException

from roa2web.logs import request_id_var
from roa2web.problems import PROBLEM_JSON, PayloadTooLarge, problem_document
from roa2web.web.proxies import Network, over_https, trusted_networks
from roa2web.web.request_context import request_id_for
from roa2web.web.security import SecurityHeaders

log = logging.getLogger("roa2web.web.body_limit")
DRAIN_TIMEOUT_S = 10.0
FORM_SOURCES = {DataSource.FORM, DataSource.FORM_MULTIPART}


class RouteBodyLimits:
    """The largest body each route accepts: `upload` bytes for a form (file) route, `json` for the rest."""

    def __init__(self, app: Quart, *, json: int, upload: int) -> None:
        """Limits for `app`'s routes; read its URL map on first use (after every blueprint is registered)."""
        self.app = app
        self.json = min(json, upload)
        self.upload = upload
        self._by_endpoint: dict[str, int] = {}

    def for_request(self, method: str, path: str) -> int:
        """The limit of the route `method path` matches; the JSON limit when none matches."""
        try:
            endpoint, _ = self.app.url_map.bind("").match(path, method=method)
        except HTTPException:  # not found, method not allowed, a redirect: nothing reads a body there
            return self.json
        if endpoint not in self._by_endpoint:
            view = self.app.view_functions.get(str(endpoint))
            declared = getattr(view, QUART_SCHEMA_REQUEST_ATTRIBUTE, None)
            is_form = declared is not None and declared[1] in FORM_SOURCES
            self._by_endpoint[str(endpoint)] = self.upload if is_form else self.json
        return self._by_endpoint[str(endpoint)]


class _CountedReceive:
    """The server's `receive`, counting body bytes; past `limit` it reports a disconnect and reads no more.

    Hypercorn queues at most a few messages per request and, when the response ends, puts a last
    one (`http.disconnect`) in that queue, waiting for room: with nobody receiving, a full queue
    would hold the response's last write, and the connection, forever. So while a response is
    being written after the limit was passed, the queue is emptied (`send`); once the response is
    done, the server closes the connection and nothing more is read.
    """

    def __init__(self, receive: ASGIReceiveCallable, send: ASGISendCallable, limit: int,
                 declared: int | None = None) -> None:
        self.receive = receive
        self._send = send
        self.limit = limit
        self.drain = declared is not None and declared <= limit  # read the rest before the answer ends
        self.received = 0
        self.exceeded = False
        self.responding = False  # a response has begun
        self.body_done = asyncio.Event()  # the body's last message or a disconnect came
        self._sending = 0
        self._discard: asyncio.Task[None] | None = None

    async def __call__(self) -> ASGIReceiveEvent:
        if self.exceeded:
            return {"type": "http.disconnect"}
        message = await self.receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            self.body_done.set()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                if self._sending:  # the app is writing its answer; its last write may wait for room
                    self._start_discarding()
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: ASGISendEvent) -> None:
        """The server's `send`; past the limit, what the server queues meanwhile is dropped."""
        self.responding = self.responding or message["type"] == "http.response.start"
        if self.drain and message["type"] == "http.response.body" and not message.get("more_body", False):
            await self._read_unread_body()
        self._sending += 1
        if self.exceeded:
            self._start_discarding()
        try:
            await self._send(message)
        finally:
            self._sending -= 1
            if not self._sending:
                self.stop()

    async def _read_unread_body(self) -> None:
        """Receive what is left of a body of declared length and drop it, for at most DRAIN_TIMEOUT_S.

        The app's own receiver (Quart reads the body in a task beside the view until the view returns)
        may take messages too: whichever receives the last one ends the wait.
        """
        if self.body_done.is_set():
            return
        reader = asyncio.create_task(self._receive_until_done())
        try:
            async with asyncio.timeout(DRAIN_TIMEOUT_S):
                await self.body_done.wait()
        except TimeoutError:
            log.warning("request body not finished %.0f s after the answer; the connection will be closed",
                        DRAIN_TIMEOUT_S)
        finally:
            reader.cancel()

    async def _receive_until_done(self) -> None:
        while not self.body_done.is_set():
            await self()

    def _start_discarding(self) -> None:
        if self._discard is None:
            self._discard = asyncio.create_task(self._discard_until_disconnect())

    async def _discard_until_disconnect(self) -> None:
        while (await self.receive())["type"] != "http.disconnect":
            pass

    def stop(self) -> None:
        """Stop dropping what the server queues."""
        if self._discard is not None:
            self._discard.cancel()
            self._discard = None


class BodyLimit:
    """ASGI middleware: refuse with a 413 problem any body larger than its route's limit, reading no further."""

    def __init__(self, app: ASGIFramework, limits: RouteBodyLimits, security: SecurityHeaders,
                 trusted: list[Network]) -> None:
        """Wrap `app` (the Quart app's `asgi_app`); its own 413s get `security`'s headers (HSTS by `trusted`)."""
        self.app = app
        self.limits = limits
        self.security = security
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
        """Pass the request through, counting its body; answer 413 when it is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self._http(scope, receive, send)

    async def _http(self, scope: HTTPScope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
        limit = self.limits.for_request(scope["method"], scope["path"])
        declared = _declared_length(scope)
        counted = _CountedReceive(receive, send, limit, declared)
        try:
            if declared is not None and declared > limit:
                counted.exceeded = True
                await self._refuse(scope, counted.send, limit)
                return
            await self.app(scope, counted, counted.send)
            if counted.exceeded and not counted.responding:
                await self._refuse(scope, counted.send, limit)
            elif counted.exceeded:
                log.warning("request body over %d bytes on %s %s: reading stopped after the app's answer",
                            limit, scope["method"], scope["path"])
        finally:
            counted.stop()

    async def _refuse(self, scope: HTTPScope, send: ASGISendCallable, limit: int) -> None:
        headers = {name.decode("latin1").lower(): value.decode("latin1") for name, value in scope["headers"]}
        request_id = request_id_for(headers.get("x-request-id"))
        https = over_https(scope["scheme"], _peer(scope), headers.get("x-forwarded-proto"), self.trusted)
        body = orjson.dumps(problem_document(
            kind=PayloadTooLarge.kind, title=PayloadTooLarge.title, status=PayloadTooLarge.status,
            detail=f"Corpul cererii depășește limita de {_size(limit)} pentru această adresă; cererea nu a "
                   "fost citită mai departe.",
            request_id=request_id,
        ))
        response_headers = [
            ("content-type", PROBLEM_JSON), ("content-length", str(len(body))), ("connection", "close"),
            ("x-request-id", request_id),
            *self.security.headers_for(scope["path"], scope["method"], headers.get("origin"), https),
        ]
        token = request_id_var.set(request_id)  # this warning and the server's access line carry the id
        try:
            log.warning("request body over %d bytes on %s %s: refused (413)", limit, scope["method"], scope["path"])
            await send({
                "type": "http.response.start", "status": PayloadTooLarge.status,
                "headers": [(name.lower().encode("latin1"), value.encode("latin1"))
                            for name, value in response_headers],
            })
            await send({"type": "http.response.body", "body": body, "more_body": False})
        finally:
            request_id_var.reset(token)


def _peer(scope: HTTPScope) -> str | None:
    """The address of the connection's other end (a proxy or the client)."""
    client = scope.get("client")
    return str(client[0]) if client else None


def _declared_length(scope: HTTPScope) -> int | None:
    """The Content-Length the client declared, None when absent or not a number (chunked)."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _size(limit: int) -> str:
    """A byte count as people read it: MB or kB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{max(1, limit // 1024)} kB"


def install_body_limit(app: Quart, *, json_limit: int, upload_limit: int, security: SecurityHeaders,
                       trusted_proxies: list[str]) -> None:
    """Wrap `app.asgi_app` in `BodyLimit` (Quart's place for ASGI middleware; the test client goes through it)."""
    limits = RouteBodyLimits(app, json=json_limit, upload=upload_limit)
    app.asgi_app = BodyLimit(app.asgi_app, limits, security, trusted_networks(trusted_proxies))  # type: ignore[method-assign]

