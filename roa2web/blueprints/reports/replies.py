"""Turning a cached report into an HTTP reply.

The body is the cached bytes as they are: no JSON work on a hit. Every reply (200 or 304) says
where it came from (X-Cache), how old it is (X-Cache-Age, whole seconds), its ETag and
`Cache-Control: private` (per user; shared caches must not keep it).
"""

from __future__ import annotations

from quart import Response, request

from roa2web.cache import CachedResponse, CacheOutcome

JSON = "application/json"


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match value (`*`, or a list of tags, weak ones included) names `etag` (quoted)."""
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def cached_reply(found: tuple[CachedResponse, CacheOutcome]) -> Response:
    """200 with the cached bytes, or 304 when the client's If-None-Match names them.

    Both carry ETag, X-Cache, X-Cache-Age and Cache-Control.
    """
    entry, outcome = found
    etag = f'"{entry.etag}"'
    headers = {"ETag": etag, "X-Cache": outcome.value, "X-Cache-Age": str(int(entry.age_s)), "Cache-Control": "private"}
    client_tags = ", ".join(request.headers.getlist("If-None-Match"))
    if client_tags and etag_matches(client_tags, etag):
        not_modified = Response(b"", status=304, headers=headers)
        for describes_a_body in ("Content-Type", "Content-Length"):  # werkzeug's defaults; a 304 has no body
            del not_modified.headers[describes_a_body]
        return not_modified
    return Response(entry.body, status=200, headers=headers, content_type=JSON)
