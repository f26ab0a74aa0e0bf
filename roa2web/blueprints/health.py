"""`/health` (every part, fast even when Oracle hangs) and `/ready`."""

from __future__ import annotations

import time

from pydantic import BaseModel
from quart import Blueprint
from quart_rate_limiter import rate_exempt
from quart_schema import validate_response

from roa2web import __version__
from roa2web.blueprints.common import runtime
from roa2web.web.guards import public

blueprint = Blueprint("health", __name__)


class Health(BaseModel):
    """Overall status and one entry per part of the process."""

    status: str
    version: str
    uptime_s: float
    modules: dict[str, dict[str, object]]


class Ready(BaseModel):
    """Whether startup has finished."""

    ready: bool


@blueprint.get("/health")
@public
@rate_exempt
@validate_response(Health, 200)
@validate_response(Health, 503)
async def health() -> tuple[Health, int]:
    """Status of every part (ledger, databases, cache, queue, OCR...); 503 when a required part is down."""
    current = runtime()
    report = await current.health()
    body = Health(
        status=report["status"],
        version=__version__,
        uptime_s=round(time.monotonic() - current.started_at, 1),
        modules=report["modules"],
    )
    return body, 503 if report["status"] == "down" else 200


@blueprint.get("/ready")
@public
@rate_exempt
@validate_response(Ready, 200)
@validate_response(Ready, 503)
async def ready() -> tuple[Ready, int]:
    """200 once startup has finished, 503 before and while shutting down."""
    is_ready = runtime().ready
    return Ready(ready=is_ready), 200 if is_ready else 503
