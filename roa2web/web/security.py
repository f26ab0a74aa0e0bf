"""Security headers and CORS for every response."""

from __future__ import annotations

from quart import Quart, Response, request

DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def install_security(app: Quart, *, allowed_origins: list[str], production: bool) -> None:
    """Headers that harden every response; CORS only for configured origins."""
    origins = set(allowed_origins)
    fixed = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]
    if production:
        fixed.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    api_headers = [*fixed, ("Content-Security-Policy", API_CSP)]
    docs_headers = [*fixed, ("Content-Security-Policy", DOCS_CSP)]

    @app.after_request
    async def _headers(response: Response) -> Response:
        headers = response.headers
        # One pass over the response's headers instead of a case-insensitive scan per setdefault.
        present = {name.lower() for name in headers.keys()}  # noqa: SIM118 - Headers iterates as pairs
        for name, value in docs_headers if request.path.startswith("/docs") else api_headers:
            if name.lower() not in present:
                headers.add(name, value)
        origin = request.headers.get("Origin")
        if origin and origin in origins:
            headers["Access-Control-Allow-Origin"] = origin
            headers["Vary"] = "Origin"
            headers["Access-Control-Allow-Credentials"] = "true"
            headers["Access-Control-Expose-Headers"] = "X-Request-ID, X-Cache, X-Cache-Age, ETag, Retry-After"
            if request.method == "OPTIONS":
                headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
                headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-None-Match, X-Request-ID"
                headers["Access-Control-Max-Age"] = "600"
        return response
