"""Request ids and the client's address (trusting X-Forwarded-For only from our proxies)."""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Iterable

from quart import Quart, Response, g, request

from roa2web.logs import request_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def client_ip(
    peer: str | None, forwarded_for: str | None, trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> str:
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


def install_request_context(app: Quart, trusted_proxies: list[str]) -> None:
    """Give every request an id (echoed in X-Request-ID) and a trustworthy client IP."""
    trusted = _networks(trusted_proxies)

    @app.before_request
    async def _start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else secrets.token_hex(8)
        request_id_var.set(request_id)
        g.request_id = request_id
        g.client_ip = client_ip(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)

    @app.after_request
    async def _tag_response(response: Response) -> Response:
        response.headers["X-Request-ID"] = request_id_var.get()
        return response
