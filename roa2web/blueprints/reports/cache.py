"""`/api/reports/cache`: figures (admin), invalidation (a company's users; admins for more), clearing (admin)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint
from quart_schema import validate_request, validate_response

from roa2web.blueprints.common import problems
from roa2web.blueprints.reports.routes import reports
from roa2web.blueprints.reports.schemas import CacheStatsOut, InvalidateIn, RemovedOut
from roa2web.problems import Forbidden
from roa2web.web.guards import current_principal, ensure_company, require_roles

blueprint = Blueprint("reports_cache", __name__, url_prefix="/api/reports/cache")


@blueprint.get("/stats")
@require_roles("admin")
@validate_response(CacheStatsOut, 200)
@problems(401, 403)
async def cache_stats() -> dict[str, Any]:
    """Report cache figures (admin).

    Per tier: hits, misses, hit ratio, entries, bytes, mean lookup time; per report: hits, misses,
    stale serves; single-flight and error counters.
    """
    return await reports().stats()


@blueprint.post("/invalidate")
@validate_request(InvalidateIn)
@validate_response(RemovedOut, 200)
@problems(400, 401, 403)
async def invalidate_cache(data: InvalidateIn) -> RemovedOut:
    """Invalidate cached reports.

    A company's reports (any user who may see the company), optionally only one report; across all
    companies (one report everywhere, or everything) only admins may.
    """
    if data.company_id is not None:
        ensure_company(data.company_id)
    elif not current_principal().is_admin:
        raise Forbidden("Doar un administrator poate invalida rapoartele tuturor firmelor.", kind="role-forbidden")
    removed = await reports().invalidate(data.company_id, data.report)
    return RemovedOut(removed=removed, company_id=data.company_id, report=data.report)


@blueprint.delete("")
@require_roles("admin")
@validate_response(RemovedOut, 200)
@problems(401, 403)
async def clear_cache() -> RemovedOut:
    """Empty the report cache, both tiers (admin)."""
    return RemovedOut(removed=await reports().invalidate())
