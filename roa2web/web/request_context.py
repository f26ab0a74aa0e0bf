"""Request ids and the client's address (trusting X-Forwarded-For only from our proxies).

Both are settled by an ASGI middleware before Quart sees the request, and kept in context
variables: the log filter, the problem renderer and the rate limits read them from there, and the
id goes back as X-Request-ID on every response, problems included. The same layer adds the
security headers and any the request asked for (`add_response_headers`). Doing it at the ASGI
level rather than in before/after-request hooks costs a header scan instead of several
request-proxy lookups and werkzeug's validated header inserts on every request.
"""

from __future__ import annotations

import contextvars
import ipaddress
import itertools
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from quart import Quart

from roa2web.logs import request_id_var

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network
type Asgi = Any  # an ASGI callable: (scope, receive, send) -> None
type Header = tuple[bytes, bytes]
type HeaderSource = Callable[[Any], Sequence[Header]]  # an ASGI scope -> the headers its response gets

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_ID_PREFIX = secrets.token_hex(4)
_ID_COUNTER = itertools.count(1)  # next() on it is atomic under the GIL
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="unknown")
response_headers_var: contextvars.ContextVar[list[Header]] = contextvars.ContextVar("response_headers")


def trusted_networks(entries: Iterable[str]) -> list[Network]:
    """TRUSTED_PROXIES as networks (a bare address is a one-address network)."""
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def client_ip(peer: str | None, forwarded_for: str | None, trusted: list[Network]) -> str:
    """The client's address: walk X-Forwarded-For from the right while hops are trusted proxies."""

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    current = peer or "unknown"
    if not forwarded_for or not is_trusted(current):
        return current
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        current = hop
        if not is_trusted(hop):
            break
    return current


def new_request_id() -> str:
    """A request id unique across this process's life and, by its random prefix, across restarts.

    A counter rather than fresh random bytes per request (`secrets.token_hex` asks the OS each time).
    """
    return f"{_ID_PREFIX}{next(_ID_COUNTER):08x}"


def current_client_ip() -> str:
    """The address of this request's client, as resolved through trusted proxies."""
    return client_ip_var.get()


def add_response_headers(headers: Iterable[Header]) -> None:
    """Add raw headers (lowercase names) to this request's response, unless the response sets them.

    For values known before the response is built (the rate limit's, a cached reply's): they go into the response's
    start message at the edge, with no werkzeug header work.
    """
    added = response_headers_var.get(None)
    if added is not None:  # None: not inside a request that came through the edge (a bare test context)
        added.extend(headers)


class RequestContextMiddleware:
    """The app's edge: request id (the client's X-Request-ID when a short safe token) and client IP
    for the request; X-Request-ID, the request's added headers and `default_headers(scope)` (the
    security headers) on its response. One layer, so the response start message is copied once.
    """

    def __init__(self, app: Asgi, trusted: list[Network], default_headers: HeaderSource = lambda scope: ()) -> None:
        self.app = app
        self.trusted = trusted
        self.default_headers = default_headers

    async def __call__(self, scope: Any, receive: Asgi, send: Asgi) -> None:
        """Run the app with the id and address set; add the edge's headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = forwarded = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
            elif name == b"x-forwarded-for":
                forwarded = value.decode("latin-1")
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else new_request_id()
        peer = scope.get("client")
        request_id_var.set(request_id)
        client_ip_var.set(client_ip(peer[0] if peer else None, forwarded, self.trusted))
        tag = (b"x-request-id", request_id.encode())
        added: list[Header] = []
        response_headers_var.set(added)  # the request's task copies this context: it appends to the same list
        defaults = self.default_headers(scope)

        async def send_tagged(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name for name, _ in headers}  # ASGI header names are lowercase
                headers += [header for header in added if header[0] not in present]
                headers += [header for header in defaults if header[0] not in present]
                headers.append(tag)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_tagged)


def install_request_context(
    app: Quart, trusted_proxies: list[str], default_headers: HeaderSource = lambda scope: ()
) -> None:
    """Give every request an id (echoed in X-Request-ID) and a trustworthy client IP; `default_headers`
    (the security headers) go on every response that does not set them itself."""
    app.asgi_app = RequestContextMiddleware(  # type: ignore[method-assign]
        app.asgi_app, trusted_networks(trusted_proxies), default_headers
    )
