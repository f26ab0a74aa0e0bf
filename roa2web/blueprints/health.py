"""`/health` (every part, fast even when Oracle hangs) and `/ready`.

Both are public and exempt from rate limits. Without a token `/health` tells only the status of
each part and the overall one; an admin's token also gets each part's figures (paths, sizes,
DSN, errors), the version and the uptime.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint
from quart_rate_limiter import rate_exempt
from quart_schema import validate_response

from roa2web import __version__
from roa2web.blueprints.common import runtime
from roa2web.problems import ServiceUnavailable
from roa2web.web.guards import optional_principal, public

blueprint = Blueprint("health", __name__)


def _absent(value: object) -> bool:
    return value is None


class Health(BaseModel):
    """Overall status ("ok", "degraded", "down") and one entry per part of the process.

    Without a token each part shows only its `status`; with an admin's token, its figures too,
    and `version` and `uptime_s` are given.
    """

    status: str
    modules: dict[str, dict[str, object]]
    version: str | None = Field(default=None, exclude_if=_absent)
    uptime_s: float | None = Field(default=None, exclude_if=_absent)


class Ready(BaseModel):
    """Whether startup has finished."""

    ready: bool


def _statuses(modules: dict[str, dict[str, Any]]) -> dict[str, dict[str, object]]:
    return {name: {"status": part.get("status", "down")} for name, part in modules.items()}


@blueprint.get("/health")
@public
@rate_exempt
@validate_response(Health, 200)
@validate_response(Health, 503)
async def health() -> tuple[Health, int]:
    """Status of every part (ledger, databases, cache, queue, OCR...); 503 when a required part is down.

    The parts' figures (paths, sizes, errors) only for an admin's bearer token; an invalid token is a 401.
    """
    current = runtime()
    try:
        caller = await optional_principal(current.auth)
    except ServiceUnavailable:  # the users table is down: /health still answers, without figures
        caller = None
    report = await current.health()
    code = 503 if report["status"] == "down" else 200
    if caller is None or not caller.is_admin:
        return Health(status=report["status"], modules=_statuses(report["modules"])), code
    body = Health(
        status=report["status"],
        modules=report["modules"],
        version=__version__,
        uptime_s=round(time.monotonic() - current.started_at, 1),
    )
    return body, code


@blueprint.get("/ready")
@public
@rate_exempt
@validate_response(Ready, 200)
@validate_response(Ready, 503)
async def ready() -> tuple[Ready, int]:
    """200 once startup has finished, 503 before and while shutting down."""
    is_ready = runtime().ready
    return Ready(ready=is_ready), 200 if is_ready else 503
