"""Request ids, the client's address and the headers every response gets, as plain Quart hooks.

X-Forwarded-For and X-Forwarded-Proto are believed only from our proxies (`proxies`).

The first before-request hook of the app settles the request id (the client's X-Request-ID when a
short safe token, else a new one) and the client address into context variables, where the log
filter, the problem renderer and the rate limits read them. An after-request hook of the app puts
X-Request-ID and the security headers on every response, problems included (Quart runs the app's
after-request hooks for responses made by error handlers too), and keeps the firm's data out of
shared caches (`caching.never_public`).
"""

from __future__ import annotations

import contextvars
import re
import secrets

from quart import Quart, Response, request

from roa2web.logs import request_id_var
from roa2web.web.caching import never_public
from roa2web.web.proxies import client_ip, over_https, trusted_networks
from roa2web.web.security import SecurityHeaders

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
client_ip_var: contextvars.ContextVar[str] = contextvars.ContextVar("client_ip", default="unknown")


def new_request_id() -> str:
    """A fresh random request id (16 hex characters)."""
    return secrets.token_hex(8)


def request_id_for(incoming: str | None) -> str:
    """The id of a request whose X-Request-ID header is `incoming`: kept when a short safe token, else new."""
    return incoming if incoming and _SAFE_ID.match(incoming) else new_request_id()


def current_client_ip() -> str:
    """The address of this request's client, as resolved through trusted proxies."""
    return client_ip_var.get()


def install_request_context(app: Quart, trusted_proxies: list[str], security: SecurityHeaders) -> None:
    """Give every request an id and a trustworthy client IP, every response its security headers.

    The id is echoed in X-Request-ID; a response keeps the security headers it sets itself.

    Call before any other before-request hook is registered: the others (authentication, rate
    limits) and the problems they raise read the id and address.
    """
    trusted = trusted_networks(trusted_proxies)

    @app.before_request
    async def identify_request() -> None:
        request_id_var.set(request_id_for(request.headers.get("X-Request-ID")))
        client_ip_var.set(client_ip(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted))

    @app.after_request
    async def tag_response(response: Response) -> Response:
        https = over_https(request.scheme, request.remote_addr, request.headers.get("X-Forwarded-Proto"), trusted)
        for name, value in security.headers_for(request.path, request.method, request.headers.get("Origin"), https):
            response.headers.setdefault(name, value)
        response.headers["X-Request-ID"] = request_id_var.get()
        return never_public(request.path, response)
