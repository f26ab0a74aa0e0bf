"""Security headers and CORS for every response, added at the ASGI level.

The headers are fixed byte pairs chosen per path (the docs page needs a CSP that lets its own
scripts run), appended to the response's start message unless the app set them itself; that
costs a short list scan per request, where an after-request hook paid werkzeug's validated,
case-insensitive header inserts for each of them.
"""

from __future__ import annotations

from typing import Any

from quart import Quart

DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
CORS_EXPOSED = "X-Request-ID, X-Cache, X-Cache-Age, ETag, Retry-After"
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, If-None-Match, X-Request-ID"

type Header = tuple[bytes, bytes]
type Asgi = Any  # an ASGI callable: (scope, receive, send) -> None


def _encoded(pairs: list[tuple[str, str]]) -> list[Header]:
    return [(name.lower().encode(), value.encode()) for name, value in pairs]


def cors_headers(origin: str, preflight: bool) -> list[Header]:
    """What an allowed origin gets; a preflight (OPTIONS) also learns the methods and headers."""
    pairs = [
        ("Access-Control-Allow-Origin", origin),
        ("Vary", "Origin"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Expose-Headers", CORS_EXPOSED),
    ]
    if preflight:
        pairs += [
            ("Access-Control-Allow-Methods", CORS_METHODS),
            ("Access-Control-Allow-Headers", CORS_HEADERS),
            ("Access-Control-Max-Age", "600"),
        ]
    return _encoded(pairs)


class SecurityHeadersMiddleware:
    """Adds the hardening headers to every HTTP response, and CORS headers for allowed origins."""

    def __init__(self, app: Asgi, *, allowed_origins: list[str], production: bool) -> None:
        self.app = app
        self.origins = {origin.encode() for origin in allowed_origins}
        fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]
        if production:
            fixed.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        self.api_headers = _encoded([*fixed, ("Content-Security-Policy", API_CSP)])
        self.docs_headers = _encoded([*fixed, ("Content-Security-Policy", DOCS_CSP)])

    def _allowed_origin(self, scope: dict[str, Any]) -> str | None:
        if not self.origins:
            return None
        for name, value in scope["headers"]:
            if name == b"origin":
                return value.decode("latin-1") if value in self.origins else None
        return None

    async def __call__(self, scope: Any, receive: Asgi, send: Asgi) -> None:
        """Run the app and add the headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self.docs_headers if scope["path"].startswith("/docs") else self.api_headers
        origin = self._allowed_origin(scope)
        if origin is not None:
            added = [*added, *cors_headers(origin, scope["method"] == "OPTIONS")]

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [header for header in added if header[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secured)


def install_security(app: Quart, *, allowed_origins: list[str], production: bool) -> None:
    """Headers that harden every response; CORS only for configured origins."""
    app.asgi_app = SecurityHeadersMiddleware(  # type: ignore[method-assign]
        app.asgi_app, allowed_origins=allowed_origins, production=production
    )
