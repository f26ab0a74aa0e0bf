"""Security headers and CORS for every response: fixed byte pairs chosen per request.

`SecurityHeaders(scope)` gives the pairs one response gets; the app's edge (request_context) adds
them to the response's start message unless the app set them itself. That costs a short list scan
per request, where an after-request hook paid werkzeug's validated, case-insensitive header
inserts for each of them.

API responses (JSON) get nosniff, `X-Frame-Options: DENY` and a CSP that allows nothing, framing
included; the docs page gets a CSP that lets its own scripts run and `Referrer-Policy`, which
only matters on a document (a JSON body sends no requests of its own, so there it says nothing).
HSTS in production.
"""

from __future__ import annotations

from typing import Any

DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
CORS_EXPOSED = "X-Request-ID, X-Cache, X-Cache-Age, ETag, Retry-After"
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, If-None-Match, X-Request-ID"

type Header = tuple[bytes, bytes]


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


class SecurityHeaders:
    """The hardening headers of one HTTP response, and CORS headers for allowed origins."""

    def __init__(self, *, allowed_origins: list[str], production: bool) -> None:
        self.origins = {origin.encode() for origin in allowed_origins}
        fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
        if production:
            fixed.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        self.api_headers = _encoded([*fixed, ("Content-Security-Policy", API_CSP)])
        self.docs_headers = _encoded(
            [*fixed, ("Content-Security-Policy", DOCS_CSP), ("Referrer-Policy", "no-referrer")]
        )

    def _allowed_origin(self, scope: dict[str, Any]) -> str | None:
        if not self.origins:
            return None
        for name, value in scope["headers"]:
            if name == b"origin":
                return value.decode("latin-1") if value in self.origins else None
        return None

    def __call__(self, scope: Any) -> list[Header]:
        """The headers the response to this HTTP request gets."""
        chosen = self.docs_headers if scope["path"].startswith("/docs") else self.api_headers
        origin = self._allowed_origin(scope)
        if origin is not None:
            chosen = [*chosen, *cors_headers(origin, scope["method"] == "OPTIONS")]
        return chosen
