"""Request ids and the client's address (trusting X-Forwarded-For only from our proxies).

Both are settled by an ASGI middleware before Quart sees the request, and kept in context
variables: the log filter, the problem renderer and the rate limits read them from there, and the
id goes back as X-Request-ID on every response, problems included. Doing it at the ASGI level
rather than in before/after-request hooks costs a header scan instead of several request-proxy
lookups and a werkzeug header insert on every request.
"""

from __future__ import annotations

import contextvars
import ipaddress
import re
import secrets
from collections.abc import Iterable
from typing import Any

from quart import Quart

from roa2web.logs import request_id_var

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network
type Asgi = Any  # an ASGI callable: (scope, receive, send) -> None

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="unknown")


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


def current_client_ip() -> str:
    """The address of this request's client, as resolved through trusted proxies."""
    return client_ip_var.get()


class RequestContextMiddleware:
    """Sets the request id (the client's X-Request-ID when it is a short safe token) and client IP."""

    def __init__(self, app: Asgi, trusted: list[Network]) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Any, receive: Asgi, send: Asgi) -> None:
        """Run the app with the id and address set; echo the id in the response headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = forwarded = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
            elif name == b"x-forwarded-for":
                forwarded = value.decode("latin-1")
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else secrets.token_hex(8)
        peer = scope.get("client")
        request_id_var.set(request_id)
        client_ip_var.set(client_ip(peer[0] if peer else None, forwarded, self.trusted))
        tag = (b"x-request-id", request_id.encode())

        async def send_tagged(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), tag]}
            await send(message)

        await self.app(scope, receive, send_tagged)


def install_request_context(app: Quart, trusted_proxies: list[str]) -> None:
    """Give every request an id (echoed in X-Request-ID) and a trustworthy client IP."""
    app.asgi_app = RequestContextMiddleware(app.asgi_app, trusted_networks(trusted_proxies))  # type: ignore[method-assign]
