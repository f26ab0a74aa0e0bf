"""Security headers and CORS for every response, chosen per request.

API responses (JSON) get nosniff, `X-Frame-Options: DENY` and a CSP that allows nothing, framing
included; the docs page gets a CSP that lets its own scripts run and `Referrer-Policy`, which
only matters on a document (a JSON body sends no requests of its own, so there it says nothing).
The web app's files (roa2web.blueprints.spa) set their own CSP, `SPA_CSP`, and get the rest here.
HSTS in production, to clients that came over HTTPS (our own TLS, or a trusted proxy's
`X-Forwarded-Proto: https`: `proxies.over_https`); over plain HTTP a browser ignores it. The app's
after-request hook (`request_context`) sets them on each response that does not set them itself.
"""

from __future__ import annotations

DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The web app (roa2web.blueprints.spa): its own scripts, styles and API only; receipt previews are
# blob: (a picked photo, a fetched attachment) or data: images, a PDF preview a blob: frame.
SPA_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
           "frame-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-ancestors 'none'")
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
CORS_EXPOSED = "X-Request-ID, X-Cache, X-Cache-Age, ETag, Retry-After"
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, If-None-Match, X-Request-ID"

type Header = tuple[str, str]


def cors_headers(origin: str, preflight: bool) -> list[Header]:
    """What an allowed origin gets; a preflight (OPTIONS) also learns the methods and headers."""
    headers = [
        ("Access-Control-Allow-Origin", origin),
        ("Vary", "Origin"),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Expose-Headers", CORS_EXPOSED),
    ]
    if preflight:
        headers += [
            ("Access-Control-Allow-Methods", CORS_METHODS),
            ("Access-Control-Allow-Headers", CORS_HEADERS),
            ("Access-Control-Max-Age", "600"),
        ]
    return headers


class SecurityHeaders:
    """The hardening headers of one HTTP response, and CORS headers for allowed origins."""

    def __init__(self, *, allowed_origins: list[str], production: bool) -> None:
        self.origins = set(allowed_origins)
        self.production = production
        fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
        self.api_headers = [*fixed, ("Content-Security-Policy", API_CSP)]
        self.docs_headers = [*fixed, ("Content-Security-Policy", DOCS_CSP), ("Referrer-Policy", "no-referrer")]

    def headers_for(self, path: str, method: str, origin: str | None, https: bool) -> list[Header]:
        """The headers of the response to a `method` request of `path` from `origin` (its Origin header).

        `https`: the client came over HTTPS (HSTS goes only there).
        """
        chosen = self.docs_headers if path.startswith("/docs") else self.api_headers
        if https and self.production:
            chosen = [*chosen, HSTS]
        if origin is not None and origin in self.origins:
            chosen = [*chosen, *cors_headers(origin, method == "OPTIONS")]
        return chosen
