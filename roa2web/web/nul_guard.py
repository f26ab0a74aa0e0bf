"""The NUL character (U+0000) never reaches a database: a 404 in a path, a 400 in a query or JSON body.

PostgreSQL's text columns cannot hold it (psycopg: "PostgreSQL text fields cannot contain NUL (0x00)
bytes"), so with the app databases on PostgreSQL a login name, a job id in a path, a receipt's notes
or a search term that carried one was a 500; SQLite stored it, cut short by most readers. No field of
the app takes it: an id with one names no resource (404), any other text with one is refused (400).
"""

from __future__ import annotations

from typing import Any

from quart import Quart, request

from roa2web.problems import BadRequest, NotFound

NUL = "\x00"
REFUSED = "Cererea conține caracterul NUL (U+0000), care nu este permis în text."


class NulCharacter(BadRequest):
    """A query parameter or a JSON string holds U+0000."""

    kind = "nul-character"


def holds_nul(value: Any) -> bool:
    """Whether a decoded JSON value has U+0000 in any string, key or value (walked without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def install_nul_guard(app: Quart) -> None:
    """A before-request hook: U+0000 in the path is a 404, in the query string a 400 (JSON: `AppRequest`)."""

    @app.before_request
    async def refuse_nul() -> None:
        if NUL in request.path:
            raise NotFound(f"Nu există nicio resursă la adresa {request.path.replace(NUL, '%00')}.")
        if any(NUL in key or NUL in value for key, value in request.args.items(multi=True)):
            raise NulCharacter(REFUSED)
